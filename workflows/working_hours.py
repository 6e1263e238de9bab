"""Working hours: a duration counted only inside the working day on working days (production calendar)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from workflows import citytime
from workflows.calendar import is_working_day
from workflows.errors import ValidationFailed

MAX_DAYS = 400  # a duration longer than a year of working days is a configuration error


def parse_workday(text: str) -> tuple[time, time]:
    """"09:00-18:00" -> (09:00, 18:00)."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in str(text).split("-", 1))
    except ValueError:
        raise ValidationFailed(f"working day must look like 09:00-18:00, not {text!r}", {"workday": text}) from None
    if start >= end:
        raise ValidationFailed("the working day must end after it starts", {"workday": text})
    return start, end


def add_working_hours(start: datetime, duration: timedelta, workday: tuple[time, time]) -> datetime:
    """The moment `duration` of working time after `start` (aware in, aware out)."""
    day_start, day_end = workday
    local, left = start.astimezone(citytime.zone()), duration
    for _ in range(MAX_DAYS):
        opens = local.replace(hour=day_start.hour, minute=day_start.minute, second=0, microsecond=0)
        closes = local.replace(hour=day_end.hour, minute=day_end.minute, second=0, microsecond=0)
        if is_working_day(local.date()) and local < closes:
            local = max(local, opens)
            if local + left <= closes:
                return (local + left).astimezone(start.tzinfo)
            left -= closes - local
        local = (local + timedelta(days=1)).replace(hour=day_start.hour, minute=day_start.minute, second=0,
                                                    microsecond=0)
    raise ValidationFailed("working-hours duration is too long", {"duration": str(duration)})
