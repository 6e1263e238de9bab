"""The built-in "@stopped" handler: a person stopped the bot or removed it; their address is dead.

The address is recorded as unreachable (the organisation's screens list it, and the unreachable hooks
run) exactly as after a 403 on sending, so notices to it fail over to the recipient's fallback at once
instead of being tried first.  Features chain their own "@stopped" handlers in front of this one (the
outages feature switches the representative off).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from connectors.inbound import InboundEvent
from connectors.stops import addresses
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.delivery.unreachable import mark_unreachable

REASONS = {
    "bot_stopped": "пользователь остановил бота",
    "dialog_removed": "пользователь удалил диалог с ботом",
    "bot_removed": "бота удалили из чата",
    "user_removed": "бота удалили из чата",
    "kicked": "пользователь заблокировал бота",
    "left": "бот больше не состоит в чате",
}


@dataclass(frozen=True)
class _Target:
    channel: str
    address: str
    recipient_key: str
    organization_id: int | None = None


def stop_reason(event: InboundEvent) -> str:
    return REASONS.get(event.text or "", "получатель отключил бота")


def known_addresses(event: InboundEvent) -> list[str]:
    """The event's addresses the outbox has used; the first possible one when none was used yet."""
    candidates = addresses(event)
    if not candidates:
        return []
    used = set(db.session.scalars(select(OutboxMessage.address).where(
        OutboxMessage.channel == event.channel, OutboxMessage.address.in_(candidates)).distinct()))
    return [address for address in candidates if address in used] or candidates[:1]


def on_stopped(event: InboundEvent, argument: str) -> None:
    reason = f"{stop_reason(event)} ({event.text})"
    for address in known_addresses(event):
        mark_unreachable(_Target(event.channel, address, f"{event.channel}:{address}"), reason)
