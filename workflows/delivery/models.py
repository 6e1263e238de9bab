"""Delivery tables: the outbox, unreachable addresses, inbound updates, poll cursors, rate slots."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import now
from workflows.db import db

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# waits, with no attempt spent, until its channel is configured (a token or gateway is set)
PARKED = "parked"
STATES = (PENDING, SENDING, SENT, FAILED, PARKED)
NOT_CONFIGURED = "канал не настроен: сообщение ждёт, пока его настроят"


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    """One notice to one recipient; written in the transaction of the change that causes it."""

    __tablename__ = "delivery_outbox"
    __table_args__ = (
        Index("ix_delivery_outbox_state_due", "state", "next_attempt_at"),
        Index("ix_delivery_outbox_group_state", "group_key", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    notice_key: Mapped[str] = mapped_column(String(200))
    recipient_key: Mapped[str] = mapped_column(String(200), index=True)
    group_key: Mapped[str | None] = mapped_column(String(100))
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))
    # a file made at send time (e-mail): "<kind>:<argument>", see workflows/delivery/attachments.py
    attachment: Mapped[str | None] = mapped_column(String(200))
    buttons: Mapped[list[list[str]]] = mapped_column(JSON, default=list)  # [[text, payload], ...]
    fallbacks: Mapped[list[list[str]]] = mapped_column(JSON, default=list)  # [[channel, address], ...]
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_attempt_at: Mapped[datetime | None] = mapped_column()  # on the current channel (retry budget)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    dispatched_at: Mapped[datetime | None] = mapped_column()  # last time a task was queued for it
    lease_until: Mapped[datetime | None] = mapped_column()
    lease_owner: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=now)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "channel": self.channel, "state": self.state, "attempts": self.attempts,
                "next_attempt_at": self.next_attempt_at.isoformat(), "last_error": self.last_error,
                "sent_at": self.sent_at.isoformat() if self.sent_at else None,
                "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None}


class UnreachableAddress(db.Model):  # type: ignore[name-defined,misc]
    """A channel address that answered "blocked / not found / invalid"; the organisation sees it."""

    __tablename__ = "delivery_unreachable"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_delivery_unreachable_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    recipient_key: Mapped[str] = mapped_column(String(200), index=True)
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(default=now)


class InboundUpdate(db.Model):  # type: ignore[name-defined,misc]
    """A messenger update, stored once by (channel, update_id) before it is handled."""

    __tablename__ = "delivery_inbound_update"
    __table_args__ = (UniqueConstraint("channel", "update_id", name="uq_delivery_inbound_update_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    update_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=now)
    handled_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(Text)


class PollCursor(db.Model):  # type: ignore[name-defined,misc]
    """Where long polling of a channel continues (Telegram offset, MAX marker)."""

    __tablename__ = "delivery_poll_cursor"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    cursor: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class RateSlot(db.Model):  # type: ignore[name-defined,misc]
    """The database rate limiter's state: the theoretical arrival time of the next send per key."""

    __tablename__ = "delivery_rate_slot"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tat: Mapped[float] = mapped_column(Float, default=0.0)
