"""The audit log: who changed how the city's processes run, when, and the diff."""
