"""A reporting period: whole local days of the city, inclusive at both ends."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workflows import citytime, clock
from workflows.errors import ValidationFailed

MAX_DAYS = 3660
DEFAULT_DAYS = 30


def city_zone() -> ZoneInfo:
    return citytime.zone()


def today() -> date:
    return clock.now().astimezone(city_zone()).date()


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first, time(), city_zone())

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), city_zone())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(raw: str | None, field: str, errors: dict[str, str]) -> date | None:
    if raw in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        errors[field] = "дата в виде ГГГГ-ММ-ДД"
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors[field] = f"год от {FIRST_YEAR} до {LAST_YEAR}"
        return None
    return day


def parse_period(raw_from: str | None, raw_to: str | None) -> Period:
    """`from`/`to` as ISO dates; missing ends default to the last 30 days up to today."""
    errors: dict[str, str] = {}
    first, last = _day(raw_from, "from", errors), _day(raw_to, "to", errors)
    if errors:
        raise ValidationFailed("неверный период", errors)
    last = last or today()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed("начало периода позже конца", {"from": "не позже, чем to"})
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed("период слишком длинный", {"from": f"не больше {MAX_DAYS} дней"})
    return Period(first, last)


def week_of(day: date) -> Period:
    """The Monday-to-Sunday week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))
