"""Emitting events to subscribed organisations: one signed delivery per subscription, in the caller's
transaction (nothing goes out if it rolls back; once it commits the outbox never loses it)."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from connectors.webhook import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign
from workflows import clock
from workflows.db import db
from workflows.delivery import enqueue
from workflows.integrations.models import WebhookDelivery, WebhookSubscription

EVENTS = ("appeal.assigned", "appeal.escalated", "appeal.resolved", "outage.changed")
CHANNEL = "webhook"


def recipient_key(subscription_id: int) -> str:
    return f"webhook:{subscription_id}"


def _subscribers(event: str, organization_id: int) -> list[WebhookSubscription]:
    # Pending changes of the caller (an appeal being routed) do not affect subscriptions: no flush for them.
    with db.session.no_autoflush:
        rows = db.session.scalars(select(WebhookSubscription).where(
            WebhookSubscription.organization_id == organization_id, WebhookSubscription.active.is_(True)))
        return [row for row in rows if event in (row.events or [])]


def emit_event(event: str, organization_id: int | None, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue `event` with `data` to every active subscription of the organisation (caller commits)."""
    if organization_id is None or event not in EVENTS:
        return []
    deliveries = []
    for subscription in _subscribers(event, organization_id):
        deliveries.append(_deliver(subscription, event, data))
    return deliveries


def _deliver(subscription: WebhookSubscription, event: str, data: dict[str, Any]) -> WebhookDelivery:
    key = uuid.uuid4().hex
    moment = clock.now()
    body = json.dumps({"id": key, "event": event, "created_at": moment.isoformat(),
                       "organization_id": subscription.organization_id, "data": data},
                      ensure_ascii=False, separators=(",", ":"), default=str)
    headers = {EVENT_HEADER: event, DELIVERY_HEADER: key, SIGNATURE_HEADER: sign(subscription.secret, body.encode())}
    delivery = WebhookDelivery(delivery_key=key, subscription_id=subscription.id, event=event, body=body,
                               created_at=moment)
    db.session.add(delivery)
    row = enqueue(f"webhook:{key}", recipient_key(subscription.id), CHANNEL, subscription.url, body, urgent=True,
                  group=f"webhook:{subscription.id}", organization_id=subscription.organization_id,
                  subject=json.dumps(headers))
    db.session.flush()
    delivery.outbox_id = row.id
    return delivery


def emit_appeal_event(event: str, appeal: Any,
                      appeal_to_dict: Callable[[Any], dict[str, Any]]) -> list[WebhookDelivery]:
    """The appeal (as the API shows it to its organisation, `appeal_to_dict`) to that organisation's subscribers.

    The caller gives the presenter: integrations sit below the features that emit events."""
    if appeal.organization_id is None:
        return []
    if not _subscribers(event, appeal.organization_id):
        return []
    return emit_event(event, appeal.organization_id, {"appeal": appeal_to_dict(appeal)})


def emit_outage_event(outage: Any, change: str,
                      outage_to_dict: Callable[[Any], dict[str, Any]]) -> list[WebhookDelivery]:
    """"outage.changed" (`change`: registered, updated, restored) to the outage organisation's subscribers."""
    if not _subscribers("outage.changed", outage.organization_id):
        return []
    return emit_event("outage.changed", outage.organization_id, {"change": change, "outage": outage_to_dict(outage)})
