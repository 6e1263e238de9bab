"""ISO 8601 dates, durations and cycles as timers understand them (aware UTC everywhere)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition


def parse_datetime(value: str | datetime) -> datetime:
    """An ISO 8601 date-time (or week date) as an aware UTC datetime; naive values are UTC."""
    if isinstance(value, datetime):
        moment = value
    elif "W" in value.upper():
        moment = TimerEventDefinition.parse_iso_week(value)
    else:
        moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        # Spiff would read naive values in the server's local zone; we pin them to UTC.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def duration_from(duration: str, start: datetime) -> timedelta:
    """An ISO 8601 duration (PnYnMnDTnHnMnS, PnW) as a timedelta counted from ``start``."""
    if not isinstance(duration, str) or not duration.upper().startswith("P"):
        raise ValueError(f"not an ISO 8601 duration: {duration!r}")
    parsed = TimerEventDefinition.parse_iso_duration(duration)
    return TimerEventDefinition.get_timedelta_from_start(parsed, start)


DEFAULT_MIN_CYCLE_SECONDS = 60
DEFAULT_MAX_CYCLES = 1000


def cycle_limits() -> tuple[timedelta, int]:
    """The shortest period and the most repetitions a timer cycle may have.

    `OTKLIK_TIMER_MIN_CYCLE_SECONDS` and `OTKLIK_TIMER_MAX_CYCLES` (the engine reads no Flask config;
    deploy checks and running timers read the same values).
    """
    def number(name: str, default: int) -> int:
        try:
            return max(1, int(os.environ.get(name, default)))
        except ValueError:
            return default

    return (timedelta(seconds=number("OTKLIK_TIMER_MIN_CYCLE_SECONDS", DEFAULT_MIN_CYCLE_SECONDS)),
            number("OTKLIK_TIMER_MAX_CYCLES", DEFAULT_MAX_CYCLES))


def parse_cycle(expression: str, now: datetime) -> tuple[int, datetime, timedelta]:
    """An ISO 8601 recurring interval R[n]/start/duration as (cycles, first due time, period).

    Refused (ValueError): a period shorter than the minimum, more repetitions than the maximum, or
    no count at all — a cycle must end, and the clock moving far ahead must not fire it without end."""
    parts = expression.upper().replace("--", "/").split("/")
    if not parts[0].startswith("R") or len(parts) not in (2, 3):
        raise ValueError(f"not an ISO 8601 cycle: {expression!r}")
    cycles, start, period = _cycle_parts(parts, now)
    shortest, most = cycle_limits()
    if period < shortest:
        raise ValueError(f"период повторения короче {int(shortest.total_seconds())} с: {expression!r}")
    if not 0 <= cycles <= most:
        raise ValueError(f"укажите число повторений R<n> не больше {most}: {expression!r}")
    return cycles, start, period


def _cycle_parts(parts: list[str], now: datetime) -> tuple[int, datetime, timedelta]:
    count = parts[0][1:]
    if count and not (count.isascii() and count.isdigit() and len(count) <= 9):
        raise ValueError(f"not an ISO 8601 cycle count: {parts[0]!r}")
    cycles = int(count) if count else -1
    if len(parts) == 2:
        period = duration_from(parts[1], now)
        return cycles, now + period, period
    if parts[1].startswith("P"):
        end = parse_datetime(parts[2])
        parsed = TimerEventDefinition.parse_iso_duration(parts[1])
        period = TimerEventDefinition.get_timedelta_from_end(parsed, end)
        return cycles, end - period, period
    start = parse_datetime(parts[1])
    return cycles, start, duration_from(parts[2], start)


def check_timer_value(kind: str, value: object, now: datetime) -> None:
    """Raise ValueError unless ``value`` is a valid timer value of this kind (date/duration/cycle)."""
    if kind == "date" and isinstance(value, datetime):
        return
    if not isinstance(value, str):
        raise ValueError(f"a timer {kind} must be an ISO 8601 string, got {type(value).__name__}")
    try:
        if kind == "date":
            parse_datetime(value)
        elif kind == "duration":
            duration_from(value, now)
        else:
            parse_cycle(value, now)
    except ValueError:
        raise
    except Exception as exc:  # Spiff's ISO helpers raise bare Exception/AttributeError
        raise ValueError(f"not an ISO 8601 {kind}: {value!r}") from exc
