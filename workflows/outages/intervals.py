"""Hours of interruption: intervals clipped to local calendar months."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from workflows import citytime


def zone() -> ZoneInfo:
    return citytime.zone()


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The local month as aware datetimes [start, end)."""
    tz = zone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def months_of(start: datetime, end: datetime) -> Iterator[tuple[int, int]]:
    """(year, month) of every local month the interval [start, end) touches."""
    local, last = start.astimezone(zone()), end.astimezone(zone())
    year, month = local.year, local.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def clipped_hours(start: datetime, end: datetime, window: tuple[datetime, datetime]) -> float:
    lo, hi = max(start, window[0]), min(end, window[1])
    return max(0.0, (hi - lo).total_seconds() / 3600)


def hours(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 3600)
