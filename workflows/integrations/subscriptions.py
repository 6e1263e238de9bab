"""Managing an organisation's webhook subscriptions and reading their deliveries with attempts."""
from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlparse

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from connectors.targets import UnsafeTarget, check_target
from workflows import validation
from workflows.accounts.models import User
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.errors import Forbidden, NotFound, ValidationFailed
from workflows.integrations.events import EVENTS
from workflows.integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from workflows.registry.models import Organization


def _organization_id(user: User, payload: dict[str, Any], errors: dict[str, str]) -> int | None:
    """One's own organisation; only an admin may name another (an account without one gets 403)."""
    if user.role != "admin":
        if user.organization_id is None:
            raise Forbidden("учётная запись не привязана к организации: подписки недоступны")
        if payload.get("organization_id") not in (None, user.organization_id):
            raise Forbidden("подписаться можно только на события своей организации")
        return int(user.organization_id)
    raw = payload.get("organization_id", user.organization_id)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw < 2**31 \
            or db.session.get(Organization, raw) is None:
        errors["organization_id"] = "укажите существующую организацию"
        return None
    return raw


# What `POST /api/v1/webhooks` accepts: checked here, published as its OpenAPI body. The address's scheme and
# target (no private networks) and the organisation's existence are checked after it.
WEBHOOK_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["url", "events"],
    "properties": {
        "url": {"type": "string", "format": "uri", "maxLength": 500,
                "x-message": "адрес http(s):// не длиннее 500 символов"},
        "events": {"type": "array", "minItems": 1, "items": {"enum": list(EVENTS)},
                   "x-message": f"непустой список из: {', '.join(EVENTS)}"},
        "secret": {"type": ["string", "null"], "minLength": 16, "maxLength": 200,
                   "x-message": "строка от 16 до 200 символов (или не указывайте: выдадим сами)"},
        "external_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 200,
                        "x-message": "строка до 200 символов"},
        "organization_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1,
                            "description": "только администратор: чужая организация",
                            "x-message": "укажите существующую организацию"},
    },
}


def _validated(user: User, payload: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = validation.errors_of(WEBHOOK_INPUT, payload)
    url = payload.get("url")
    parsed = urlparse(url) if "url" not in errors else None
    if parsed is not None and (parsed.scheme not in ("http", "https") or not parsed.netloc):
        errors["url"] = WEBHOOK_INPUT["properties"]["url"]["x-message"]
    elif parsed is not None:
        try:
            check_target(str(url), bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_TARGETS")))
        except UnsafeTarget as err:
            errors["url"] = str(err)
    events, secret, external_id = payload.get("events"), payload.get("secret"), payload.get("external_id")
    organization_id = _organization_id(user, payload, errors)
    if errors:
        raise ValidationFailed("подписка не может быть создана", errors)
    return {"url": url, "events": list(dict.fromkeys(events or [])), "secret": secret or secrets.token_urlsafe(32),
            "external_id": external_id, "organization_id": organization_id}


def _by_external_id(organization_id: int, external_id: str | None) -> WebhookSubscription | None:
    if not external_id:
        return None
    return db.session.scalar(select(WebhookSubscription).where(
        WebhookSubscription.organization_id == organization_id, WebhookSubscription.external_id == external_id))


def subscribe(user: User, payload: dict[str, Any]) -> tuple[WebhookSubscription, bool]:
    """Create a subscription; the same organisation + external_id again returns the first (False)."""
    fields = _validated(user, payload)
    existing = _by_external_id(fields["organization_id"], fields["external_id"])
    if existing is not None:
        return existing, False
    subscription = WebhookSubscription(**fields, created_by_id=user.id, active=True)
    try:
        db.session.add(subscription)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _by_external_id(fields["organization_id"], fields["external_id"])
        if existing is None:
            raise
        return existing, False
    return subscription, True


def _scoped(user: User) -> Any:
    query = select(WebhookSubscription)
    if user.role != "admin":
        query = query.where(WebhookSubscription.organization_id == (user.organization_id or -1))
    return query


def list_subscriptions(user: User) -> list[WebhookSubscription]:
    return list(db.session.scalars(_scoped(user).order_by(WebhookSubscription.id)))


def get_subscription(user: User, subscription_id: int) -> WebhookSubscription:
    found: WebhookSubscription | None = db.session.scalar(
        _scoped(user).where(WebhookSubscription.id == subscription_id))
    if found is None:
        raise NotFound(f"нет подписки {subscription_id}")
    return found


def unsubscribe(user: User, subscription_id: int) -> None:
    """Stop sending; the subscription and its deliveries stay for the record."""
    subscription = get_subscription(user, subscription_id)
    subscription.active = False
    subscription.disabled_reason = subscription.disabled_reason or "отписка"
    db.session.commit()


def deliveries(user: User, subscription_id: int, page: int = 1, per_page: int = 50) -> tuple[list[dict[str, Any]], int]:
    """The subscription's deliveries, newest first, each with its outbox state and every attempt."""
    get_subscription(user, subscription_id)
    where = WebhookDelivery.subscription_id == subscription_id
    total = db.session.scalar(select(func.count(WebhookDelivery.id)).where(where)) or 0
    rows = db.session.execute(
        select(WebhookDelivery, OutboxMessage).outerjoin(OutboxMessage, OutboxMessage.id == WebhookDelivery.outbox_id)
        .where(where).order_by(WebhookDelivery.id.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    attempts: dict[int, list[WebhookAttempt]] = {}
    ids = [delivery.id for delivery, _ in rows]
    for attempt in db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids))
                                      .order_by(WebhookAttempt.at, WebhookAttempt.id)):
        attempts.setdefault(attempt.delivery_id, []).append(attempt)
    return [_delivery_dict(d, o, attempts.get(d.id, [])) for d, o in rows], int(total)


def _delivery_dict(delivery: WebhookDelivery, outbox: OutboxMessage | None,
                   attempts: list[WebhookAttempt]) -> dict[str, Any]:
    return {"id": delivery.delivery_key, "event": delivery.event, "created_at": delivery.created_at.isoformat(),
            "state": outbox.state if outbox else "pending",
            "next_attempt_at": outbox.next_attempt_at.isoformat() if outbox and outbox.state == "pending" else None,
            "last_error": outbox.last_error if outbox else None,
            "attempts": [a.to_dict() for a in attempts]}
