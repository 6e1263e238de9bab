"""The audit table: one row per deploy or migration, append-only."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import now
from workflows.db import db


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """What a designer or admin did to a process: deploy a version, migrate an instance."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(30))  # deploy | migrate
    subject: Mapped[str] = mapped_column(String(200))  # process / decision key
    version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="SET NULL"))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # element-level diff or migration plan
    diff: Mapped[str] = mapped_column(Text, default="")  # unified text diff of the XML

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor_id": self.actor_id, "action": self.action,
                "subject": self.subject, "version_id": self.version_id,
                "previous_version_id": self.previous_version_id, "instance_id": self.instance_id,
                "summary": self.summary, "diff": self.diff}
