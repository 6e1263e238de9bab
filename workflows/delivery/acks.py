"""The built-in inbound handler "ack:<outbox id>": a representative confirms passing a notice on."""
from __future__ import annotations

import re

from connectors.inbound import InboundEvent
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.delivery.progress import acknowledge
from workflows.delivery.stops import on_stopped
from workflows.ids import digits

_MAX_ADDRESS = re.compile(r"(?:chat:|user:)?(-?\d+)")
THANKS = "Спасибо! Отметили, что вы передали сообщение жителям."
UNKNOWN = "Это уведомление не найдено."


def _ids_of(channel: str, address: str) -> set[str]:
    if channel == "max":
        match = _MAX_ADDRESS.fullmatch(address.strip())
        return {match.group(1)} if match else set()
    return {address.strip()}


def same_recipient(row: OutboxMessage, event: InboundEvent) -> bool:
    """Only the chat the notice went to may acknowledge it."""
    if row.channel != event.channel:
        return False
    return bool(_ids_of(row.channel, row.address) & {event.chat_id, event.user_id} - {""})


def acknowledge_handler(event: InboundEvent, argument: str) -> str:
    row = db.session.get(OutboxMessage, int(argument)) if digits(argument) else None
    if row is None or not same_recipient(row, event):
        return UNKNOWN
    acknowledge(row.id)
    return THANKS


def stopped_handler(event: InboundEvent, argument: str) -> None:
    """"@stopped": the recipient stopped the bot; their address is parked (delivery.stops)."""
    on_stopped(event, argument)
