"""Writing notices into the outbox, in the caller's transaction (the caller commits)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from connectors import Button
from workflows import clock
from workflows.db import db
from workflows.delivery.connections import channel_configured
from workflows.delivery.dispatch import after_commit_dispatch
from workflows.delivery.models import NOT_CONFIGURED, PARKED, OutboxMessage
from workflows.delivery.quiet import quiet_until
from workflows.delivery.settings import delivery_settings

# "{id}" in a payload becomes the outbox row's id when the message is sent.
ACK_BUTTON = Button("Передал жителям", "ack:{id}")


def idempotency_key(notice_key: str, recipient_key: str) -> str:
    return f"{notice_key}|{recipient_key}"


def find(notice_key: str, recipient_key: str) -> OutboxMessage | None:
    key = idempotency_key(notice_key, recipient_key)
    found: OutboxMessage | None = db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    return found


def enqueue(notice_key: str, recipient_key: str, channel: str, address: str, text: str,
            buttons: Sequence[Button] = (), urgent: bool = False,
            fallbacks: Iterable[tuple[str, str]] = (), group: str | None = None,
            organization_id: int | None = None, subject: str | None = None,
            attachment: str | None = None) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; sent once the caller commits.

    The same notice to the same recipient again is a no-op that returns the first row.  Non-urgent
    messages written in quiet hours wait until they end; `fallbacks` are (channel, address) pairs
    tried in order when the address turns out unreachable.  `attachment` names a file made when the
    message is sent (see attachments.py; e-mail only).
    """
    existing = find(notice_key, recipient_key)
    if existing is not None:
        return existing
    moment = clock.now()
    due = moment if urgent else (quiet_until(moment, delivery_settings(current_app.config)) or moment)
    row = OutboxMessage(
        idempotency_key=idempotency_key(notice_key, recipient_key), notice_key=notice_key,
        recipient_key=recipient_key, group_key=group, organization_id=organization_id, channel=channel,
        address=str(address), text=text, subject=subject, buttons=[[b.text, b.payload] for b in buttons],
        fallbacks=[[str(c), str(a)] for c, a in fallbacks], urgent=urgent, next_attempt_at=due,
        dispatched_at=due, created_at=moment, attachment=attachment)
    parked = not channel_configured(channel)
    if parked:  # nothing could send it: it waits without spending attempts until the channel is set up
        row.state, row.last_error = PARKED, NOT_CONFIGURED
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same notice committed meanwhile by another transaction
        raced = find(notice_key, recipient_key)
        if raced is None:
            raise
        return raced
    if not parked:
        after_commit_dispatch(db.session(), row.id, channel, (due - moment).total_seconds())
    return row
