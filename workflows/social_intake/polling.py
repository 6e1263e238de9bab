"""Polling the sources on their own schedules: the periodic task picks the ones whose next_poll_at is due."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select

from connectors.base import DeliveryError
from workflows import clock
from workflows.db import after_commit, db
from workflows.errors import NotFound, WorkflowsError
from workflows.services import services
from workflows.social_intake.models import SocialSource
from workflows.social_intake.vk_poll import poll_search, poll_wall, vk_api

log = logging.getLogger(__name__)
POLLERS: dict[str, Callable[..., dict[str, int]]] = {"vk_wall": poll_wall, "vk_search": poll_search}
ERROR_BACKOFF = timedelta(minutes=5)


def due_sources(limit: int = 50) -> list[int]:
    now = clock.now()
    query = (select(SocialSource.id)
             .where(SocialSource.enabled.is_(True), SocialSource.kind.in_(tuple(POLLERS)),
                    or_(SocialSource.next_poll_at.is_(None), SocialSource.next_poll_at <= now))
             .order_by(SocialSource.next_poll_at).limit(limit))
    return list(db.session.scalars(query))


def poll_due_sources() -> int:
    """The every-minute task: queue a poll of each due source; returns how many were queued."""
    ids = due_sources()
    for source_id in ids:
        request_poll(source_id)
    db.session.commit()
    return len(ids)


def request_poll(source_id: int) -> None:
    """Queue a poll of the source once the current transaction commits (the caller commits)."""
    scheduler = services().scheduler
    after_commit(db.session, lambda: scheduler.enqueue("social_poll_source", source_id))


def poll_source(source_id: int) -> dict[str, Any]:
    """Read one source now, store what is new or changed, move its cursor and next poll time.  Commits."""
    source = db.session.get(SocialSource, source_id)
    if source is None:
        raise NotFound(f"нет источника {source_id}")
    poller = POLLERS.get(source.kind)
    if poller is None:
        raise NotFound(f"источник {source.kind} не опрашивается (сообщения приходят боту)")
    now = clock.now()
    api = None
    try:
        api = vk_api()
        counts: dict[str, Any] = poller(api, source)
        source.last_error = None
        source.next_poll_at = now + timedelta(minutes=max(1, source.interval_minutes))
    except (DeliveryError, WorkflowsError) as err:
        db.session.rollback()
        source = db.session.get(SocialSource, source_id)
        assert source is not None
        log.warning("social source %s: %s", source_id, err)
        source.last_error = str(err)[:1000]
        source.next_poll_at = now + max(ERROR_BACKOFF, timedelta(minutes=source.interval_minutes))
        counts = {"error": source.last_error}
    finally:
        if api is not None:
            api.close()
    source.last_polled_at = now
    db.session.commit()
    return counts
