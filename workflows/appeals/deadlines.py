"""Deadlines from the durations sla.dmn gives: calendar or working days, and the 75 % reminder."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from workflows.calendar import add_working_days
from workflows.errors import ValidationFailed

REMIND_AT = 0.75
_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def parse_duration(text: str) -> tuple[int, timedelta]:
    """ISO 8601 duration as (whole days, the rest)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match or text.strip() in ("P", "PT"):
        raise ValidationFailed(f"not an ISO 8601 duration: {text!r}", {"duration": str(text)})
    days = int(match["d"] or 0)
    rest = timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0), seconds=int(match["s"] or 0))
    return days, rest


def due_after(start: datetime, duration: str, calendar: str = "calendar") -> datetime:
    """The moment `duration` after `start`; whole days count as working days when calendar is "working"."""
    days, rest = parse_duration(duration)
    if calendar == "working" and days:
        return add_working_days(start, days) + rest
    return start + timedelta(days=days) + rest


def reminder_at(start: datetime, due: datetime) -> datetime:
    return start + (due - start) * REMIND_AT
