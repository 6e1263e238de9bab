"""The safety net: queue again every due row no task took, and rows whose worker died mid-send.

Runs every minute and once when a worker starts.  A row counts as forgotten when it has been due
longer than the channel needs to work through its current backlog (so a long fan-out that is
merely queued is not queued twice), or at worker start, when any due row may have been lost with
the previous process.  Queueing a row twice is harmless: only one claim can succeed.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from workflows import clock
from workflows.db import after_commit, db, is_postgres
from workflows.delivery.connections import channel_configured
from workflows.delivery.dispatch import dispatch_now
from workflows.delivery.models import PARKED, PENDING, SENDING, OutboxMessage
from workflows.delivery.settings import channel_rate, delivery_settings

log = logging.getLogger(__name__)
BATCH = 5000


def _backlogs(now: datetime) -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.channel, func.count()).where(
            OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now)
        .group_by(OutboxMessage.channel))
    return {channel: count for channel, count in rows}


def _forgotten(channel: str, now: datetime, grace: float) -> list[int]:
    stale = now - timedelta(seconds=grace)
    query = (select(OutboxMessage.id).where(OutboxMessage.channel == channel, or_(
        and_(OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now,
             or_(OutboxMessage.dispatched_at.is_(None), OutboxMessage.dispatched_at <= stale)),
        and_(OutboxMessage.state == SENDING, OutboxMessage.lease_until < now)))
        .order_by(OutboxMessage.next_attempt_at).limit(BATCH))
    if is_postgres():
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _channels(now: datetime) -> list[str]:
    expired = select(OutboxMessage.channel).where(OutboxMessage.state == SENDING, OutboxMessage.lease_until < now)
    return sorted(set(_backlogs(now)) | set(db.session.scalars(expired.distinct())))


def release_parked(now: datetime) -> list[int]:
    """Rows parked on channels that are configured now become due at once; returns their ids."""
    channels = db.session.scalars(select(OutboxMessage.channel).where(OutboxMessage.state == PARKED).distinct())
    ready = [channel for channel in channels if channel_configured(channel)]
    if not ready:
        return []
    ids = list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.state == PARKED,
                                                                 OutboxMessage.channel.in_(ready))))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                       .values(state=PENDING, next_attempt_at=now, dispatched_at=now, last_error=None,
                               first_attempt_at=None)  # time parked is not spent from the retry budget
                       .execution_options(synchronize_session=False))
    log.info("outbox: %d parked rows released on %s", len(ids), ", ".join(ready))
    return ids


def sweep_outbox(startup: bool = False) -> int:
    """Queue forgotten rows again and release parked ones whose channel is configured now; returns how many.
    Commits."""
    settings = delivery_settings(current_app.config)
    now = clock.now()
    released = release_parked(now)
    backlogs = _backlogs(now)
    ids: list[int] = list(released)
    for channel in _channels(now):
        backlog_seconds = backlogs.get(channel, 0) / channel_rate(current_app.config, channel)
        grace = 0.0 if startup else max(settings.redispatch_seconds, backlog_seconds * 1.5)
        ids.extend(_forgotten(channel, now, grace))
    if ids:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(dispatched_at=now)
                           .execution_options(synchronize_session=False))
        after_commit(db.session, lambda: dispatch_now(ids))
        log.info("outbox sweep queued %d rows again", len(ids))
    db.session.commit()
    return len(ids)
