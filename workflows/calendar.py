"""The Russian production calendar: working days, holidays and transferred days."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from workflows import citytime


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def _working_saturdays(year: int) -> set[date]:
    """Weekend days the government moved into working days (holidays lists them as such when it can)."""
    cal = _calendar(year)
    extra = getattr(cal, "weekend_workdays", None)
    return set(extra or ())


def is_working_day(day: date | datetime) -> bool:
    if isinstance(day, datetime):
        day = day.astimezone(citytime.zone()).date()
    if day in _working_saturdays(day.year):
        return True
    return day.weekday() < 5 and day not in _calendar(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same local time `days` working days after `start` (aware in, aware out)."""
    local = start.astimezone(citytime.zone())
    moved = 0
    while moved < days:
        local = local + timedelta(days=1)
        if is_working_day(local.date()):
            moved += 1
    return local.astimezone(start.tzinfo)


def next_working_moment(moment: datetime) -> datetime:
    """The same local time on the first working day at or after `moment` (ГК РФ ст. 193)."""
    local = moment.astimezone(citytime.zone())
    while not is_working_day(local.date()):
        local = local + timedelta(days=1)
    return local.astimezone(moment.tzinfo)
