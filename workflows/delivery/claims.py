"""Claiming outbox rows atomically, and changing a claimed row only while we still hold it.

A claim moves a due row (or one whose lease expired with a lost worker) to `sending` with a lease
and a random owner token.  PostgreSQL first locks the row with FOR UPDATE SKIP LOCKED so competing
workers pass over it without waiting; on SQLite the conditional UPDATE runs under the database's
single write lock.  Either way exactly one worker gets the row.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from connectors import Button, OutgoingMessage
from workflows import clock
from workflows.db import db, is_postgres
from workflows.delivery.attachments import build_attachments
from workflows.delivery.models import PENDING, SENDING, OutboxMessage


@dataclass(frozen=True)
class Claimed:
    """What a worker needs from a row it holds; read once so no transaction stays open."""

    id: int
    owner: str
    idempotency_key: str
    recipient_key: str
    organization_id: int | None
    channel: str
    address: str
    text: str
    subject: str | None
    buttons: tuple[Button, ...]
    fallbacks: tuple[tuple[str, str], ...]
    urgent: bool
    attempts: int
    first_attempt_at: datetime | None = None  # on the current channel: where the retry budget started
    notice_key: str = ""
    attachment: str | None = None  # a reference; the file is made when the message is sent

    def message(self) -> OutgoingMessage:
        return OutgoingMessage(address=self.address, text=self.text, buttons=self.buttons,
                               idempotency_key=self.idempotency_key, subject=self.subject,
                               attachments=build_attachments(self.attachment))


def claimable(now: datetime) -> ColumnElement[bool]:
    """Due and pending, or sending under a lease that has run out."""
    return or_(and_(OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.state == SENDING, OutboxMessage.lease_until < now))


def claim(outbox_id: int, lease_seconds: float) -> Claimed | None:
    """Take the row for sending; None when it is not due or someone else has it.  Commits."""
    now = clock.now()
    if is_postgres():
        locked = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.id == outbox_id, claimable(now))
                                   .with_for_update(skip_locked=True))
        if locked is None:
            db.session.rollback()
            return None
    owner = uuid.uuid4().hex
    result: Any = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == outbox_id, claimable(now))
        .values(state=SENDING, lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return None
    row = db.session.get(OutboxMessage, outbox_id, populate_existing=True)
    assert row is not None
    claimed = snapshot(row, owner)
    db.session.commit()
    return claimed


def snapshot(row: OutboxMessage, owner: str) -> Claimed:
    buttons = tuple(Button(text, payload.replace("{id}", str(row.id))) for text, payload in row.buttons or [])
    return Claimed(
        id=row.id, owner=owner, idempotency_key=row.idempotency_key, recipient_key=row.recipient_key,
        organization_id=row.organization_id, channel=row.channel, address=row.address, text=row.text,
        subject=row.subject, buttons=buttons, fallbacks=tuple((c, a) for c, a in row.fallbacks or []),
        urgent=row.urgent, attempts=row.attempts, first_attempt_at=row.first_attempt_at,
        notice_key=row.notice_key, attachment=row.attachment)


def update_claimed(claimed: Claimed, **values: Any) -> bool:
    """Change the row only if we still hold it (no commit); False when our lease was taken over."""
    result: Any = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claimed.id, OutboxMessage.state == SENDING,
               OutboxMessage.lease_owner == claimed.owner)
        .values(lease_until=None, lease_owner=None, **values)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)
