"""Rosters (花名册): tables with the header on every page, page subtotals and signature lines."""
