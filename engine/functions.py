"""The allow-listed builtins and helper functions visible to BPMN scripts and expressions."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType, SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from engine import isotime

MAX_RANGE = 1_000_000


def safe_range(*args: int) -> range:
    """range() capped in length, so C-level loops over it stay short."""
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise ValueError(f"range longer than {MAX_RANGE} is not allowed")
    return result


SAFE_BUILTINS: MappingProxyType[str, Any] = MappingProxyType({
    "None": None, "True": True, "False": False,
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "enumerate": enumerate,
    "filter": filter, "float": float, "int": int, "isinstance": isinstance, "len": len,
    "list": list, "map": map, "max": max, "min": min, "range": safe_range, "reversed": reversed,
    "round": round, "set": set, "sorted": sorted, "str": str, "sum": sum, "tuple": tuple,
    "zip": zip, "divmod": divmod,
    "Exception": Exception, "ValueError": ValueError, "KeyError": KeyError,
    "TypeError": TypeError, "IndexError": IndexError, "ZeroDivisionError": ZeroDivisionError,
})

_MATH_NAMES = ("floor", "ceil", "sqrt", "exp", "log", "log10", "trunc", "fabs", "isclose", "pi", "e")
MATH = SimpleNamespace(**{name: getattr(math, name) for name in _MATH_NAMES})


def in_timezone(moment: datetime, zone: str) -> datetime:
    """The same instant in the named IANA time zone (e.g. 'Europe/Moscow')."""
    return moment.astimezone(ZoneInfo(zone))


def make_functions(clock: Callable[[], datetime]) -> dict[str, Any]:
    """The standard function table of one run; ``clock`` returns the run's current time."""

    def now() -> datetime:
        return clock()

    def today() -> date:
        return clock().date()

    def add_duration(start: datetime, duration: str) -> datetime:
        return start + isotime.duration_from(duration, start)

    def parse_duration(duration: str) -> timedelta:
        return isotime.duration_from(duration, clock())

    return {
        "now": now,
        "today": today,
        "parse_duration": parse_duration,
        "add_duration": add_duration,
        "parse_datetime": isotime.parse_datetime,
        "in_timezone": in_timezone,
        "datetime": datetime,
        "date": date,
        "timedelta": timedelta,
        "timezone": timezone,
        "UTC": UTC,
        "Decimal": Decimal,
        "math": MATH,
        **{name: getattr(MATH, name) for name in _MATH_NAMES if name not in ("e", "pi")},
    }
