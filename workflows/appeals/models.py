"""Appeal, its history, and incidents that many appeals about one cause join."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.accounts.models import User
from workflows.clock import now
from workflows.db import db
from workflows.registry.models import Building, Organization

CHANNELS = ("phone", "ads", "telegram", "max", "vk", "web", "open311", "api", "letter")
OPEN_STATUSES = ("registered", "rerouting", "assigned", "accepted", "joined", "resolved", "reopened", "manual")
# building: appeals about one resource on one building; suspected: a supplier's network fault seen in the
# appeals of several of its buildings; outage: a registered outage (its buildings listed in incident_building)
INCIDENT_KINDS = ("building", "suspected", "outage")
# open → resolved; a building incident may be absorbed into a network one; a suspected one may be rejected
INCIDENT_STATUSES = ("open", "resolved", "absorbed", "rejected")
AWAITING_ACCEPTANCE = ("registered", "rerouting", "assigned")
AWAITING_RESOLUTION = ("registered", "rerouting", "assigned", "accepted", "reopened")
# Waiting for an organisation's work (not for the resident's confirmation or a joined incident): can be overdue.
WORKING_STATUSES = ("registered", "rerouting", "assigned", "accepted", "reopened")


class Incident(db.Model):  # type: ignore[name-defined,misc]
    """One cause (a failed main, a burst riser) that many appeals report."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_open", "building_id", "resource", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="building")
    resource: Mapped[str] = mapped_column(String(20))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    outage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    primary_appeal_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")  # INCIDENT_STATUSES
    cause: Mapped[str | None] = mapped_column(Text)
    expected_end: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    absorbed_into_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    instance_id: Mapped[int | None] = mapped_column(Integer)  # the suspected-outage process, if any
    closing_note: Mapped[str | None] = mapped_column(Text)  # why it was rejected or absorbed

    organization: Mapped[Organization | None] = relationship(lazy="select")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "resource": self.resource, "building_id": self.building_id,
                "outage_id": self.outage_id, "organization_id": self.organization_id, "status": self.status,
                "primary_appeal_id": self.primary_appeal_id, "cause": self.cause,
                "expected_end": self.expected_end.isoformat() if self.expected_end else None,
                "opened_at": self.opened_at.isoformat(),
                "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None}


class IncidentBuilding(db.Model):  # type: ignore[name-defined,misc]
    """A building a network incident (suspected or registered outage) covers."""

    __tablename__ = "incident_building"
    __table_args__ = (Index("ix_incident_building_building", "building_id", "incident_id"),)

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), primary_key=True)


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
    # written appeals (59-ФЗ): when the letter arrived, its registration deadline, the one extension of the answer
    received_at: Mapped[datetime | None]
    register_due_at: Mapped[datetime | None]
    extended_due_at: Mapped[datetime | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
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

    # Both deadlines are kept for ever: accept_due_at / accepted_at and resolve_due_at / resolved_at; due_at is
    # only the one running now (what inboxes sort by).
    @property
    def accept_breached(self) -> bool:
        return _breached(self.accept_due_at, self.accepted_at, self.status in AWAITING_ACCEPTANCE)

    @property
    def resolve_breached(self) -> bool:
        return _breached(self.extended_due_at or self.resolve_due_at, self.resolved_at,
                         self.status in AWAITING_RESOLUTION)

    @property
    def register_breached(self) -> bool:
        return self.register_due_at is not None and self.created_at > self.register_due_at


def _breached(due: datetime | None, met: datetime | None, still_waiting: bool) -> bool:
    """Met after the deadline, or not met while the deadline has passed and the step is still awaited."""
    if due is None:
        return False
    if met is not None:
        return met > due
    return still_waiting and now() > due


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

    actor: Mapped[User | None] = relationship(lazy="joined")

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "actor_id": self.actor_id, "text": self.text,
                "data": self.data, "actor": actor_ref(self.actor)}


def actor_ref(user: User | None) -> dict[str, Any] | None:
    """Who took a step, as the API shows it: null for the system's own steps."""
    if user is None:
        return None
    return {"id": user.id, "login": user.login, "name": user.full_name or user.login, "role": user.role,
            "organization": user.organization.ref() if user.organization else None}
