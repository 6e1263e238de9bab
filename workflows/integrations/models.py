"""Webhook subscriptions of organisations, their deliveries and every attempt to deliver."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import now
from workflows.db import db


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class WebhookSubscription(db.Model):  # type: ignore[name-defined,misc]
    """An organisation's system asks to be told about some events at a URL."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (
        UniqueConstraint("organization_id", "external_id", name="uq_webhook_subscription_external_id"),
        Index("ix_webhook_subscription_org_active", "organization_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200))  # signs bodies; shown to the subscriber once
    external_id: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "organization_id": self.organization_id, "url": self.url,
                "events": list(self.events or []), "external_id": self.external_id, "active": self.active,
                "disabled_reason": self.disabled_reason, "created_at": _iso(self.created_at)}


class WebhookDelivery(db.Model):  # type: ignore[name-defined,misc]
    """One event for one subscription; its outbox row does the sending and the retrying."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_subscription", "subscription_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_key: Mapped[str] = mapped_column(String(40), unique=True)  # X-Otklik-Delivery
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WebhookAttempt(db.Model):  # type: ignore[name-defined,misc]
    """One POST of a delivery: when, what the receiver answered, how long it took."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    status_code: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

    def to_dict(self) -> dict[str, Any]:
        return {"at": _iso(self.at), "status_code": self.status_code, "ok": self.ok, "error": self.error,
                "duration_ms": self.duration_ms}
