"""A representative who stopped the bot (or removed it from the building chat) is switched off.

Runs as the "@stopped" inbound handler in front of delivery's own (which records the dead address):
every active representative at that address leaves (consent withdrawn, as with /stop), is marked
unreachable, and the delivery history says why.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from connectors.inbound import InboundEvent
from connectors.stops import addresses
from workflows import clock
from workflows.db import db
from workflows.delivery.history import channel_name, record
from workflows.delivery.stops import stop_reason
from workflows.outages import representatives as reps
from workflows.outages.models import Representative

Handler = Callable[[InboundEvent, str], Any]


def deactivate_stopped(event: InboundEvent) -> list[Representative]:
    """Switch off the active representatives the event shuts out; the caller commits."""
    found = list(db.session.scalars(select(Representative).where(
        Representative.channel == event.channel, Representative.address.in_(addresses(event)),
        Representative.active.is_(True))))
    for rep in found:
        reps.leave(rep)
        rep.unreachable_at = clock.now()
        record("recipient_stopped", f"rep:{rep.id}",
               f"Представитель отключён от уведомлений: {stop_reason(event)} в {channel_name(event.channel)}. "
               "Вернуться можно по ссылке-приглашению дома.",
               data={"channel": event.channel, "address": rep.address, "update": event.text,
                     "building_id": rep.building_id})
    return found


def stopped_handler(previous: Handler | None) -> Handler:
    def handle(event: InboundEvent, argument: str) -> Any:
        deactivate_stopped(event)
        return previous(event, argument) if previous is not None else None

    return handle
