"""The city's time: its zone (one reader of the `TIMEZONE` setting) and how local times are written for people.

Everything that turns an instant into a local day or a local clock reading (deadlines, the production
calendar, reports, texts to residents, screens, exports, feeds) asks here. Outside an application (a
script, a unit test) the zone is the default, Tambov's Moscow time.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Moscow"
MOMENT = "%d.%m.%Y %H:%M"  # 28.11.2026 14:05
DAY = "%d.%m.%Y"  # 28.11.2026


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name(config: Mapping[str, Any] | None = None) -> str:
    """The IANA name of the city's zone from `config` (the application's, when none is given)."""
    if config is None:
        config = current_app.config if has_app_context() else {}
    return str(config.get("TIMEZONE") or DEFAULT_ZONE)


def zone(config: Mapping[str, Any] | None = None) -> ZoneInfo:
    return _zone(zone_name(config))


def local(moment: datetime) -> datetime:
    """The same instant on the city's clock (aware)."""
    return moment.astimezone(zone())


def local_day(moment: datetime) -> date:
    return local(moment).date()


def attach(naive: datetime) -> datetime:
    """A wall-clock reading typed in the city (no zone) as an aware instant; an aware one is kept."""
    return naive if naive.tzinfo is not None else naive.replace(tzinfo=zone())


def moment_text(moment: datetime | None, empty: str = "") -> str:
    """«28.11.2026 14:05» in the city's time; `empty` for no moment."""
    return local(moment).strftime(MOMENT) if moment is not None else empty


def day_text(moment: datetime | None, empty: str = "") -> str:
    """«28.11.2026», the city's date of the instant; `empty` for no moment."""
    return local(moment).strftime(DAY) if moment is not None else empty


def short_text(moment: datetime, now: datetime) -> str:
    """«18:00» when it is the city's today at `now`, else «05.12 18:00»: for short chat messages."""
    when, today = local(moment), local(now)
    return when.strftime("%H:%M") if when.date() == today.date() else when.strftime("%d.%m %H:%M")
