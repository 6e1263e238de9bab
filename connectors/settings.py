"""Reading connector settings: keys are the contract's environment names without ``OTKLIK_``.

Besides the contract's keys every channel understands ``<CHANNEL>_TIMEOUT`` (seconds for one HTTP
request or SMTP conversation, default 10).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.base import ConnectorNotConfigured

DEFAULT_TIMEOUT = 10.0


def required(settings: Mapping[str, Any], channel: str, key: str) -> str:
    """The non-empty string under ``key``, or ``ConnectorNotConfigured``."""
    value = settings.get(key)
    if value is None or str(value).strip() == "":
        raise ConnectorNotConfigured(channel, key)
    return str(value).strip()


def optional(settings: Mapping[str, Any], key: str, default: str) -> str:
    """The string under ``key``, or ``default`` when it is unset or blank."""
    value = settings.get(key)
    if value is None or str(value).strip() == "":
        return default
    return str(value).strip()


def base_url(settings: Mapping[str, Any], key: str, default: str) -> str:
    """An API base URL without a trailing slash."""
    return optional(settings, key, default).rstrip("/")


def seconds(settings: Mapping[str, Any], key: str, default: float = DEFAULT_TIMEOUT) -> float:
    """A positive number of seconds; bad values fall back to ``default``."""
    try:
        value = float(settings.get(key, default))
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def flag(settings: Mapping[str, Any], key: str, default: bool) -> bool:
    """A boolean written the way environment variables write them (1/0, true/false, yes/no, on/off)."""
    value = settings.get(key)
    if value is None or str(value).strip() == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
