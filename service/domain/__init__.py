"""Domain rules: plain functions over plain data, with no Flask and no files beyond their own data."""
