"""Delivery: a transactional outbox that sends notices through the messenger connectors.

What other features use:
- `enqueue(...)` in their own transaction (the caller commits), `ACK_BUTTON` for "Передал жителям";
- `delivery_stats(group)` for progress, `unreachable_addresses(organization_id)` for screens;
- the inbound handlers and unreachable hooks are composed in workflows.wiring (tests may add one with
  `register_inbound_handler(app, prefix, handler)` / `register_unreachable_hook(app, name, hook)`);
- `receive_update(channel, raw)` for webhooks, `poll(channel, once)` for long polling;
- `history(recipient_key=..., outbox_id=...)` and `register_history_hook(app, name, hook)`: the delivery
  history (budget spent → fallback, recipients who stopped the bot).
"""
from __future__ import annotations

from workflows.delivery.connections import register_inbound_handler, register_unreachable_hook
from workflows.delivery.history import DeliveryEvent, history, register_history_hook
from workflows.delivery.inbound import receive_update
from workflows.delivery.models import FAILED, PENDING, SENDING, SENT, OutboxMessage, UnreachableAddress
from workflows.delivery.outbox import ACK_BUTTON, enqueue
from workflows.delivery.polling import poll
from workflows.delivery.progress import DeliveryStats, acknowledge, delivery_stats
from workflows.delivery.unreachable import UnreachableEvent, unreachable_addresses

__all__ = [
    "ACK_BUTTON", "FAILED", "PENDING", "SENDING", "SENT", "DeliveryEvent", "DeliveryStats", "history",
    "register_history_hook", "OutboxMessage", "UnreachableAddress",
    "UnreachableEvent", "acknowledge", "delivery_stats", "enqueue", "poll", "receive_update",
    "register_inbound_handler", "register_unreachable_hook", "unreachable_addresses",
]
