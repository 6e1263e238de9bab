"""Alert windows (one alert per error kind per hour) and where staff want alerts sent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.accounts.models import User
from workflows.clock import now
from workflows.db import db


class FailureAlert(db.Model):  # type: ignore[name-defined,misc]
    """One error kind in one hour: the first failure inserts it and sends the alert; later ones count."""

    __tablename__ = "failure_alert"
    __table_args__ = (UniqueConstraint("kind_key", "window_start", name="uq_failure_alert_kind_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_key: Mapped[str] = mapped_column(String(64))
    window_start: Mapped[datetime]
    process_id: Mapped[str] = mapped_column(String(200))
    element_id: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)


class AlertContact(db.Model):  # type: ignore[name-defined,misc]
    """A messenger or e-mail address where an admin or coordinator receives failure alerts."""

    __tablename__ = "alert_contact"
    __table_args__ = (UniqueConstraint("user_id", "channel", name="uq_alert_contact_user_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # telegram | max | vk | email | sms
    address: Mapped[str] = mapped_column(String(300))

    user: Mapped[User] = relationship(lazy="joined")
