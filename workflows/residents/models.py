"""A resident's chat with the bot (its conversation state) and the consents residents gave."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import now
from workflows.db import db


class ResidentChat(db.Model):  # type: ignore[name-defined,misc]
    """One (channel, chat): where the conversation stands and what the resident told so far."""

    __tablename__ = "resident_chat"
    __table_args__ = (UniqueConstraint("channel", "chat_id", name="uq_resident_chat_channel_chat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100))  # the delivery address of the chat ("123", "chat:-5")
    user_id: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(20), default="idle")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    phone: Mapped[str | None] = mapped_column(String(40))
    appeals_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ResidentConsent(db.Model):  # type: ignore[name-defined,misc]
    """A consent kept as its own record (152-ФЗ): who, when, which text version, through which channel."""

    __tablename__ = "resident_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(40), default="appeal_contact")
    text_version: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(default=now)
