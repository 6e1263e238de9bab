"""Who receives the weekly digest, and the weeks already sent (one row per week: the claim)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.accounts.models import User
from workflows.clock import now
from workflows.db import db

DIGEST_CHANNELS = ("email", "telegram", "max", "vk", "sms")


class DigestRecipient(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "digest_recipient"
    __table_args__ = (UniqueConstraint("user_id", "channel", name="uq_digest_recipient_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship(lazy="joined")


class DigestRun(db.Model):  # type: ignore[name-defined,misc]
    """The claim on a week: whoever inserts it sends that week's digest; a second worker finds it taken."""

    __tablename__ = "digest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=now)
    messages: Mapped[int] = mapped_column(Integer, default=0)
