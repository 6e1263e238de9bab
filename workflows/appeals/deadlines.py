"""Deadlines from the durations sla.dmn gives: calendar or working days, and the 75 % reminder."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from workflows import citytime
from workflows.calendar import add_working_days, next_working_moment
from workflows.errors import ValidationFailed

REMIND_AT = 0.75
_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def parse_duration(text: str) -> tuple[int, timedelta]:
    """ISO 8601 duration as (whole days, the rest)."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match or text.strip() in ("P", "PT"):
        raise ValidationFailed(f"это не длительность ISO 8601: {text!r}", {"duration": str(text)})
    try:  # a number too long for int() or a span too long for timedelta is not a deadline either
        days = int(match["d"] or 0)
        rest = timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0), seconds=int(match["s"] or 0))
        datetime.max - timedelta(days=days) - rest  # noqa: B018  (raises OverflowError past year 9999)
    except (ValueError, OverflowError):
        raise ValidationFailed(f"слишком длинная длительность: {text[:40]!r}",
                               {"duration": "слишком длинная"}) from None
    return days, rest


_WINDOW = re.compile(r"^(?P<a>\d{2}):(?P<am>\d{2})-(?P<b>\d{2}):(?P<bm>\d{2})$")
CALENDARS = ("calendar", "working", "days_to_working", "ЧЧ:ММ-ЧЧ:ММ")


def due_after(start: datetime, duration: str, calendar: str = "calendar") -> datetime:
    """The moment `duration` after `start` on the named calendar (the `calendar` output of sla.dmn):

    - "calendar": plain time;
    - "working": whole days are working days of the production calendar;
    - "days_to_working": calendar days, and a deadline on a day off moves to the next working day
      (ГК РФ ст. 193; the deadlines of 59-ФЗ);
    - "HH:MM-HH:MM": only the time inside that window of each local day counts (a garbage chute's 2 h
      are counted from 08:00 to 23:00, ПП 416 п. 13).
    """
    days, rest = parse_duration(duration)
    if calendar == "working" and days:
        return add_working_days(start, days) + rest
    if calendar == "days_to_working":
        return next_working_moment(start + timedelta(days=days) + rest)
    window = _WINDOW.match(calendar or "")
    if window:
        return _within_daily_window(start, timedelta(days=days) + rest, window)
    if calendar not in ("calendar", "", None):
        raise ValidationFailed(f"неизвестный календарь сроков: {calendar!r}", {"calendar": f"одно из: {CALENDARS}"})
    return start + timedelta(days=days) + rest


def _within_daily_window(start: datetime, duration: timedelta, window: re.Match[str]) -> datetime:
    opens, closes = time(int(window["a"]), int(window["am"])), time(int(window["b"]), int(window["bm"]))
    if closes <= opens:
        raise ValidationFailed(f"окно времени {window.group(0)!r} пустое",
                               {"calendar": "ЧЧ:ММ-ЧЧ:ММ, начало раньше конца"})
    cursor, remaining = start.astimezone(citytime.zone()), duration
    while True:
        day_open = datetime.combine(cursor.date(), opens, citytime.zone())
        day_close = datetime.combine(cursor.date(), closes, citytime.zone())
        if cursor < day_open:
            cursor = day_open
        if cursor >= day_close:
            cursor = datetime.combine(cursor.date() + timedelta(days=1), opens, citytime.zone())
            continue
        if cursor + remaining <= day_close:
            return (cursor + remaining).astimezone(start.tzinfo)
        remaining -= day_close - cursor
        cursor = datetime.combine(cursor.date() + timedelta(days=1), opens, citytime.zone())


def reminder_at(start: datetime, due: datetime) -> datetime:
    return start + (due - start) * REMIND_AT
