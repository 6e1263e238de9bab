"""A living demo city: about a month of history made by running the real processes with a fake clock."""
