"""Delivery settings read from the app's config (keys are the OTKLIK_* names without the prefix)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from workflows import citytime

DEFAULT_RATE = 10.0
QUIET_HOURS = "22:00-08:00"


@dataclass(frozen=True)
class DeliverySettings:
    lease_seconds: float = 60.0  # how long a claimed row stays ours before a sweep may take it back
    redispatch_seconds: float = 120.0  # a due row queued longer ago than this is queued again
    max_attempts: int = 25  # failed tries on one channel (RetryAfter included) before the fallback
    max_elapsed: float = 21600.0  # seconds from the first try on a channel to the last retry (6 h)
    backoff_base: float = 2.0
    backoff_cap: float = 1800.0
    max_rate_wait: float = 2.0  # longer waits for a chat's slot give the worker back (row deferred)
    timezone: str = citytime.DEFAULT_ZONE
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(8, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _number(config: Mapping[str, Any], key: str, default: float) -> float:
    try:
        value = float(config.get(key, default))
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def parse_quiet_hours(value: Any) -> tuple[time | None, time | None]:
    """`"22:00-08:00"` → (22:00, 08:00); empty, "off" or false → no quiet hours."""
    text = str(value or "").strip().lower()
    if text in ("", "off", "false", "0", "none"):
        return None, None
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def delivery_settings(config: Mapping[str, Any]) -> DeliverySettings:
    quiet_start, quiet_end = parse_quiet_hours(config.get("DELIVERY_QUIET_HOURS", QUIET_HOURS))
    return DeliverySettings(
        lease_seconds=_number(config, "DELIVERY_LEASE_SECONDS", 60.0),
        redispatch_seconds=_number(config, "DELIVERY_REDISPATCH_SECONDS", 120.0),
        max_attempts=int(_number(config, "DELIVERY_MAX_ATTEMPTS", 25)),
        max_elapsed=_number(config, "DELIVERY_MAX_ELAPSED_SECONDS", 21600.0),
        backoff_base=_number(config, "DELIVERY_BACKOFF_BASE", 2.0),
        backoff_cap=_number(config, "DELIVERY_BACKOFF_CAP", 1800.0),
        max_rate_wait=_number(config, "DELIVERY_MAX_RATE_WAIT", 2.0),
        timezone=citytime.zone_name(config),
        quiet_start=quiet_start,
        quiet_end=quiet_end,
    )


def channel_rate(config: Mapping[str, Any], channel: str) -> float:
    """Messages per second a channel may send overall (contract: OTKLIK_<CHANNEL>_RATE)."""
    key = "SMTP_RATE" if channel == "email" else f"{channel.upper()}_RATE"
    return _number(config, key, DEFAULT_RATE)
