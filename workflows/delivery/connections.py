"""Per-process collaborators of delivery, kept in the app's services (workflows.services): connectors,
the rate limiter, tables.

One connector per channel per process: the Telegram connector keeps one long-lived bot per worker
thread itself, the HTTP ones share a thread-safe client.  The tables (connector classes, inbound
handlers, unreachable hooks) are composed once by workflows.wiring.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlparse

from flask import Flask, current_app

from connectors import Connector, ConnectorNotConfigured, build_connector
from workflows.delivery.ratelimit import Limiter
from workflows.delivery.ratelimit_db import DatabaseLimiter
from workflows.delivery.ratelimit_redis import RedisLimiter
from workflows.services import InboundTable, services, services_of

_lock = threading.Lock()
log = logging.getLogger(__name__)


def connector_for(channel: str) -> Connector:
    """The process's connector for `channel`, built from app.config on first use."""
    wired = services()
    cache = wired.connectors
    connector = cache.get(channel)
    if connector is None:
        with _lock:
            connector = cache.get(channel)
            if connector is None:
                connector = build_connector(channel, current_app.config, wired.connector_classes)
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
    wired = services()
    found = wired.limiter
    if found is None:
        with _lock:
            found = wired.limiter
            if found is None:
                found = _make_limiter(str(current_app.config.get("QUEUE_URL", "")))
                wired.limiter = found
    return found


def _make_limiter(queue_url: str) -> Limiter:
    if urlparse(queue_url).scheme in ("redis", "rediss"):
        return RedisLimiter(queue_url)
    return DatabaseLimiter()


def inbound_handlers() -> InboundTable:
    return services().inbound


def unreachable_hooks() -> Mapping[str, Callable[..., Any]]:
    return services().unreachable_hooks


def register_inbound_handler(app: Flask, prefix: str, handler: Callable[..., Any]) -> None:
    """Replace or add the handler of `prefix` on a built app (tests; the app's own table is workflows.wiring's)."""
    wired = services_of(app)
    wired.inbound = wired.inbound.with_handler(prefix, handler)


def register_unreachable_hook(app: Flask, name: str, hook: Callable[..., Any]) -> None:
    """Add `hook(UnreachableEvent)` on a built app (tests; the app's own hooks are workflows.wiring's)."""
    wired = services_of(app)
    wired.unreachable_hooks = {**wired.unreachable_hooks, name: hook}
