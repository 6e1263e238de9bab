"""The webhook channel as delivery runs it: every attempt recorded, a 410 disables the subscription."""
from __future__ import annotations

from sqlalchemy import select

from connectors import OutgoingMessage, SendResult
from connectors.webhook import DELIVERY_HEADER, Attempt, WebhookConnector, message_headers
from workflows import clock
from workflows.db import db
from workflows.delivery import UnreachableEvent
from workflows.ids import digits
from workflows.integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


class RecordingWebhookConnector(WebhookConnector):
    """Writes a WebhookAttempt per POST into the session that records the outbox outcome."""

    def send(self, message: OutgoingMessage) -> SendResult:
        attempt = self.attempt(message)
        record_attempt(message_headers(message).get(DELIVERY_HEADER, ""), attempt)
        if attempt.error is not None:
            raise attempt.error
        return SendResult(message_id=f"http-{attempt.status_code}")


def record_attempt(delivery_key: str, attempt: Attempt) -> None:
    delivery_id = db.session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.delivery_key == delivery_key))
    if delivery_id is None:
        return
    error = attempt.error.reason[:1000] if attempt.error is not None else None
    db.session.add(WebhookAttempt(delivery_id=delivery_id, at=clock.now(), status_code=attempt.status_code,
                                  ok=attempt.error is None, error=error, duration_ms=attempt.elapsed_ms))


def disable_gone_subscription(event: UnreachableEvent) -> None:
    """The receiver answered 410 Gone: stop sending to it (its deliveries stay listed)."""
    if event.channel != "webhook" or not event.recipient_key.startswith("webhook:"):
        return
    subscription_id = event.recipient_key.removeprefix("webhook:")
    subscription = db.session.get(WebhookSubscription, int(subscription_id)) if digits(subscription_id) else None
    if subscription is not None:
        subscription.active = False
        subscription.disabled_reason = event.reason[:1000]
