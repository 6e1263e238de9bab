"""Organisations, buildings and who supplies what to which building."""
