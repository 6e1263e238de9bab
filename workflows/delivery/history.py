"""The delivery history: what happened to a notice or a recipient that a person should be able to read.

One row per notable event, written in the transaction that causes it: a notice that spent its retry
budget and moved to the recipient's fallback channel (or failed for good), a representative switched
off because they stopped the bot.  Hooks (`register_history_hook`) copy events into other histories in
the same transaction, e.g. the appeal's own history for notices to an applicant.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import JSON, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from workflows import clock
from workflows.clock import now
from workflows.db import db
from workflows.services import services, services_of

log = logging.getLogger(__name__)
CHANNEL_NAMES = {"telegram": "Telegram", "max": "MAX", "vk": "ВКонтакте", "sms": "SMS", "email": "e-mail",
                 "webhook": "вебхук"}


class DeliveryEvent(db.Model):  # type: ignore[name-defined,misc]
    """One entry of the delivery history."""

    __tablename__ = "delivery_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    kind: Mapped[str] = mapped_column(String(30))  # failover | failed | recipient_stopped
    outbox_id: Mapped[int | None] = mapped_column(Integer, index=True)
    notice_key: Mapped[str | None] = mapped_column(String(200))
    recipient_key: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)  # Russian, for people
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "outbox_id": self.outbox_id, "text": self.text,
                "data": dict(self.data or {})}


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


def record(kind: str, recipient_key: str, text: str, *, outbox_id: int | None = None,
           notice_key: str | None = None, data: dict[str, Any] | None = None) -> DeliveryEvent:
    """Add an entry (and run the hooks) in the caller's transaction; the caller commits."""
    event = DeliveryEvent(at=clock.now(), kind=kind, outbox_id=outbox_id, notice_key=notice_key,
                          recipient_key=recipient_key, text=text, data=data or {})
    db.session.add(event)
    for name, hook in services().history_hooks.items():
        log.debug("delivery history hook %s for %s", name, kind)
        hook(event)
    return event


def history(*, recipient_key: str | None = None, outbox_id: int | None = None) -> list[DeliveryEvent]:
    """Entries for a recipient or a notice, oldest first."""
    query = select(DeliveryEvent).order_by(DeliveryEvent.at, DeliveryEvent.id)
    if recipient_key is not None:
        query = query.where(DeliveryEvent.recipient_key == recipient_key)
    if outbox_id is not None:
        query = query.where(DeliveryEvent.outbox_id == outbox_id)
    return list(db.session.scalars(query))


def register_history_hook(app: Flask, name: str, hook: Any) -> None:
    """Add `hook(DeliveryEvent)` on a built app (tests; the app's own hooks are workflows.wiring's)."""
    wired = services_of(app)
    wired.history_hooks = {**wired.history_hooks, name: hook}
