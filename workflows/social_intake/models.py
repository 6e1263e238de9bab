"""Social intake tables: sources, posts and comments (stored once), their edits, labelled examples, model runs."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import now
from workflows.db import db

SOURCE_KINDS = ("vk_wall", "vk_search", "telegram_chat")
NETWORK_OF_KIND = {"vk_wall": "vk", "vk_search": "vk", "telegram_chat": "telegram"}
# what became of a post: appealed (an appeal exists), queued (waits for ЦГДС), dismissed, dropped (low confidence)
POST_STATUSES = ("new", "appealed", "queued", "dismissed", "dropped")
LEVELS = ("high", "medium", "low")


class SocialSource(db.Model):  # type: ignore[name-defined,misc]
    """A VK group wall, a VK keyword search or a Telegram chat, polled on its own schedule."""

    __tablename__ = "social_source"
    __table_args__ = (UniqueConstraint("kind", "target", name="uq_social_source_kind_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(200))  # VK owner_id, search query, Telegram chat id
    title: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    interval_minutes: Mapped[int] = mapped_column(Integer, default=10)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    cursor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reply_enabled: Mapped[bool] = mapped_column(Boolean, default=False)  # admin: post replies through VK
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def network(self) -> str:
        return NETWORK_OF_KIND.get(self.kind, "vk")


class SocialPost(db.Model):  # type: ignore[name-defined,misc]
    """One post or comment, stored once by (network, network_id), with what the classifier made of it."""

    __tablename__ = "social_post"
    __table_args__ = (
        UniqueConstraint("network", "network_id", name="uq_social_post_network_network_id"),
        Index("ix_social_post_status_level", "status", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("social_source.id", ondelete="SET NULL"), index=True)
    network: Mapped[str] = mapped_column(String(10))
    network_id: Mapped[str] = mapped_column(String(100))  # "wall-1_5", "wall-1_5_r9", "tg-100123_77"
    kind: Mapped[str] = mapped_column(String(10), default="post")  # post | comment
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("social_post.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # the analysis (redone after an edit)
    is_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(20))
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(300))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    inherited: Mapped[bool] = mapped_column(Boolean, default=False)  # address/category taken from the post
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    rules_agree: Mapped[bool] = mapped_column(Boolean, default=False)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # top buildings, categories, highlight spans
    level: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default="new")
    spot_check: Mapped[bool] = mapped_column(Boolean, default=False)
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeal.id"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None]
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_posted_at: Mapped[datetime | None]
    reply_external_id: Mapped[str | None] = mapped_column(String(100))
    # the public answer at ЦУР pace (social_answer.dmn): clock started when the post is taken into work
    taken_at: Mapped[datetime | None]
    answer_due_at: Mapped[datetime | None] = mapped_column(index=True)  # first public answer, interim allowed
    answer_remind_at: Mapped[datetime | None]
    answer_reminded_at: Mapped[datetime | None]
    answer_escalated_at: Mapped[datetime | None]
    first_answer_at: Mapped[datetime | None]
    first_answer_kind: Mapped[str | None] = mapped_column(String(10))  # interim | final
    final_answer_at: Mapped[datetime | None]

    source: Mapped[SocialSource | None] = relationship(lazy="joined")
    parent: Mapped[SocialPost | None] = relationship(remote_side=[id], lazy="select")


class SocialRevision(db.Model):  # type: ignore[name-defined,misc]
    """An earlier text of an edited post (history kept, oldest first)."""

    __tablename__ = "social_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("social_post.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(default=now)


class SocialExample(db.Model):  # type: ignore[name-defined,misc]
    """A labelled example from a dispatcher's confirmation, correction or dismissal (training data)."""

    __tablename__ = "social_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("social_post.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(12))  # confirm | correct | dismiss
    text: Mapped[str] = mapped_column(Text)
    is_complaint: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(20))
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    def as_training_row(self) -> dict[str, Any]:
        return {"id": f"x{self.id}", "text": self.text, "is_complaint": self.is_complaint,
                "category": self.category, "emergency": self.emergency}


class SocialModelRun(db.Model):  # type: ignore[name-defined,misc]
    """One retraining: how many examples and the held-out quality figures."""

    __tablename__ = "social_model_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(default=now)
    shipped_examples: Mapped[int] = mapped_column(Integer)
    stored_examples: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    model_path: Mapped[str] = mapped_column(String(500))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # complaint_f1, category_accuracy, building_accuracy...
