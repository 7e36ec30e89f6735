"""Tables (统计表): tallies, result roll-ups and registers."""
