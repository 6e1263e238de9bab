"""Fixtures for the connector tests: the fake servers of ``tests.fakes`` (registered in tests/conftest.py)."""
