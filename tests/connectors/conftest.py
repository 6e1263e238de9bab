"""Fixtures for the connector tests: fake servers from ``tests.fakes``, one per test."""

from tests.fakes.fixtures import (  # noqa: F401 - fixtures are used by name
    fake_max,
    fake_settings,
    fake_sms,
    fake_smtp,
    fake_telegram,
    fake_vk,
)
