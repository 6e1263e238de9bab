"""Appeal, its history, and incidents that many appeals about one cause join."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import now
from workflows.db import db
from workflows.registry.models import Building, Organization

CHANNELS = ("phone", "ads", "telegram", "max", "vk", "web", "open311", "api")
OPEN_STATUSES = ("registered", "rerouting", "assigned", "accepted", "joined", "resolved", "reopened")
# Waiting for an organisation's work (not for the resident's confirmation or a joined incident): can be overdue.
WORKING_STATUSES = ("registered", "rerouting", "assigned", "accepted", "reopened")


class Incident(db.Model):  # type: ignore[name-defined,misc]
    """One cause (a failed main, a burst riser) that many appeals report."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_open", "building_id", "resource", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource: Mapped[str] = mapped_column(String(20))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    outage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    primary_appeal_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | resolved
    cause: Mapped[str | None] = mapped_column(Text)
    expected_end: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "resource": self.resource, "building_id": self.building_id,
                "outage_id": self.outage_id, "organization_id": self.organization_id, "status": self.status,
                "primary_appeal_id": self.primary_appeal_id, "cause": self.cause,
                "expected_end": self.expected_end.isoformat() if self.expected_end else None,
                "opened_at": self.opened_at.isoformat(),
                "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None}


class Appeal(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "appeal"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_appeal_channel_external_id"),
        Index("ix_appeal_org_status", "organization_id", "status", "due_at"),
        Index("ix_appeal_building_created", "building_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    external_id: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20), index=True)
    category_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    address_text: Mapped[str | None] = mapped_column(String(300))
    flat: Mapped[str | None] = mapped_column(String(20))
    applicant_name: Mapped[str | None] = mapped_column(String(200))
    applicant_phone: Mapped[str | None] = mapped_column(String(40), index=True)
    applicant_channel: Mapped[str | None] = mapped_column(String(10))
    applicant_chat_id: Mapped[str | None] = mapped_column(String(100))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    status: Mapped[str] = mapped_column(String(12), default="registered", index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None]
    accept_due_at: Mapped[datetime | None]
    resolve_due_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    refusals: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    accepted_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    building: Mapped[Building | None] = relationship(lazy="joined")
    organization: Mapped[Organization | None] = relationship(lazy="joined")
    incident: Mapped[Incident | None] = relationship(lazy="joined")


class AppealEvent(db.Model):  # type: ignore[name-defined,misc]
    """The appeal's history: every event, oldest first."""

    __tablename__ = "appeal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "actor_id": self.actor_id, "text": self.text,
                "data": self.data}
