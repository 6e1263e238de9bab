"""Per-process collaborators of delivery, kept on the app: connectors, the rate limiter, tables.

One connector per channel per process: the Telegram connector keeps one long-lived bot per worker
thread itself, the HTTP ones share a thread-safe client.  Tables (connector classes, inbound
handlers, unreachable hooks) are copied per app, so extending them never mutates a global.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import Flask, current_app

from connectors import CONNECTORS, Connector, ConnectorNotConfigured, build_connector
from workflows.delivery.ratelimit import Limiter

CONNECTOR_TABLE = "otklik.delivery.connector_table"
CONNECTORS_KEY = "otklik.delivery.connectors"
LIMITER_KEY = "otklik.delivery.limiter"
HANDLERS_KEY = "otklik.delivery.inbound_handlers"
UNREACHABLE_KEY = "otklik.delivery.on_unreachable"
_lock = threading.Lock()
log = logging.getLogger(__name__)


def init_app(app: Flask, handlers: dict[str, Callable[..., Any]]) -> None:
    app.extensions.setdefault(CONNECTOR_TABLE, dict(CONNECTORS))
    app.extensions.setdefault(CONNECTORS_KEY, {})
    app.extensions.setdefault(HANDLERS_KEY, dict(handlers))
    app.extensions.setdefault(UNREACHABLE_KEY, {})


def connector_for(channel: str) -> Connector:
    """The process's connector for `channel`, built from app.config on first use."""
    cache: dict[str, Connector] = current_app.extensions.setdefault(CONNECTORS_KEY, {})
    connector = cache.get(channel)
    if connector is None:
        with _lock:
            connector = cache.get(channel)
            if connector is None:
                table = current_app.extensions.get(CONNECTOR_TABLE, CONNECTORS)
                connector = build_connector(channel, current_app.config, table)
                cache[channel] = connector
    return connector


def channel_configured(channel: str) -> bool:
    """Whether this process can send on `channel` (its token or gateway is configured)."""
    try:
        connector_for(channel)
    except ConnectorNotConfigured:
        return False
    return True


async def _idle(resource: Any) -> None:
    return None


def warm_up(connector: Connector) -> None:
    """Open this thread's long-lived client before a rate slot is taken (best effort).

    The Telegram connector creates one bot per thread on its first send (getMe first); done inside a
    reserved slot, that delay makes a new thread's first message late and bunched with punctual ones.
    connectors offers no public hook for this yet, so we drive its per-thread loop with a no-op.
    """
    per_thread = getattr(connector, "_bots", None)
    if per_thread is None or not hasattr(per_thread, "run"):
        return
    try:
        per_thread.run(_idle)
    except Exception:  # noqa: BLE001 - the real send reports the same trouble, classified
        log.debug("warming up the %s connector failed", getattr(connector, "channel", "?"), exc_info=True)


def limiter() -> Limiter:
    """Redis when the queue is on Redis (shared by every host), else the database."""
    found: Limiter | None = current_app.extensions.get(LIMITER_KEY)
    if found is None:
        with _lock:
            found = current_app.extensions.get(LIMITER_KEY)
            if found is None:
                found = _make_limiter(str(current_app.config.get("QUEUE_URL", "")))
                current_app.extensions[LIMITER_KEY] = found
    return found


def _make_limiter(queue_url: str) -> Limiter:
    if urlparse(queue_url).scheme in ("redis", "rediss"):
        from workflows.delivery.ratelimit_redis import RedisLimiter

        return RedisLimiter(queue_url)
    from workflows.delivery.ratelimit_db import DatabaseLimiter

    return DatabaseLimiter()


def inbound_handlers() -> dict[str, Callable[..., Any]]:
    handlers: dict[str, Callable[..., Any]] = current_app.extensions.get(HANDLERS_KEY, {})
    return handlers


def unreachable_hooks() -> dict[str, Callable[..., Any]]:
    hooks: dict[str, Callable[..., Any]] = current_app.extensions.get(UNREACHABLE_KEY, {})
    return hooks


def register_inbound_handler(app: Flask, prefix: str, handler: Callable[..., Any]) -> None:
    """`handler(event, argument) -> answer text | None` for callbacks whose payload is `prefix:argument`."""
    app.extensions.setdefault(HANDLERS_KEY, {})[prefix] = handler


def register_unreachable_hook(app: Flask, name: str, hook: Callable[..., Any]) -> None:
    """`hook(UnreachableEvent)` runs in the transaction that marks an address unreachable."""
    app.extensions.setdefault(UNREACHABLE_KEY, {})[name] = hook
