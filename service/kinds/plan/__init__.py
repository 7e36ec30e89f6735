"""Plans (方案): the implementation plan of a county or township for the election."""
