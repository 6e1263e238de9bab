"""The application's clock: wall time in production, a fake one in tests.

Everything that decides "is it due yet" asks `now()`, so tests move time instead of sleeping.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import has_app_context

from workflows.services import services


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        self.current = self.current + delta
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


_SYSTEM = SystemClock()


def now() -> datetime:
    """Aware UTC now from the app's clock (services().clock; the system clock outside an app)."""
    if has_app_context():
        return services().clock.now()
    return _SYSTEM.now()
