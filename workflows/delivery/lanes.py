"""Lanes: which rows a channel's sender takes together, and claiming them in batches.

Every channel has three lanes, each with its own sending loop in a worker process:
- `direct`: messages to one person (an appeal's reply, an escalation, a failure alert, a bot answer);
- `urgent`: urgent notices to many (an emergency outage);
- `bulk`: other notices to many (planned outages, digests).
The lanes of one channel share the channel's rate limit (and the chats' own limits), so together they
never send faster than allowed, but each reserves its own next slot: a lane with three thousand rows
queued delays a message in another lane by at most a slot or two, never by its whole backlog.
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, select, true, update
from sqlalchemy.sql.elements import ColumnElement

from workflows import clock
from workflows.db import db, is_postgres
from workflows.delivery.claims import Claimed, claimable, snapshot
from workflows.delivery.models import PENDING, SENDING, OutboxMessage

DIRECT, URGENT, BULK = "direct", "urgent", "bulk"
LANES = (DIRECT, URGENT, BULK)


def lane_of(group_key: str | None, urgent: bool) -> str:
    if group_key is None:
        return DIRECT
    return URGENT if urgent else BULK


def lane_condition(lane: str) -> ColumnElement[bool]:
    if lane == DIRECT:
        return OutboxMessage.group_key.is_(None)
    grouped = OutboxMessage.group_key.is_not(None)
    return and_(grouped, OutboxMessage.urgent.is_(True) if lane == URGENT else OutboxMessage.urgent.is_not(True))


def claim_batch(channel: str, lane: str | None, limit: int, lease_seconds: float) -> list[Claimed]:
    """Take up to `limit` due rows of one channel's lane (oldest due first) in one transaction.  Commits.

    The rows move to `sending` under one lease owner, exactly as `claim` does for a single row:
    PostgreSQL skips rows other workers have locked, SQLite runs the transaction under its write lock.
    """
    now = clock.now()
    owner = uuid.uuid4().hex
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.channel == channel, claimable(now),
                  lane_condition(lane) if lane else true())
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if is_postgres():
        due = due.with_for_update(skip_locked=True)
    # Two statements, not UPDATE ... WHERE id IN (SELECT ...): PostgreSQL may run a locking subquery once
    # per candidate row, which on a 6,000-row backlog takes seconds.
    found = list(db.session.scalars(due))
    if not found:
        db.session.rollback()
        return []
    result: Any = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(found), claimable(now))
        .values(state=SENDING, lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        .returning(OutboxMessage.id).execution_options(synchronize_session=False))
    ids = sorted(result.scalars())
    if not ids:
        db.session.rollback()
        return []
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                              .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                              .execution_options(populate_existing=True)).all()
    claimed = [snapshot(row, owner) for row in rows]
    db.session.commit()
    return claimed


def release(claimed: Claimed) -> bool:
    """Give a claimed, unsent row back at once (a sender stopping, a lease about to run out).  Commits."""
    now = clock.now()
    result: Any = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claimed.id, OutboxMessage.state == SENDING,
               OutboxMessage.lease_owner == claimed.owner)
        .values(state=PENDING, lease_until=None, lease_owner=None, next_attempt_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return bool(result.rowcount == 1)
