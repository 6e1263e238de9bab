"""Outage tables: the outage, its buildings and violations; representatives, their consent, invitations."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import now
from workflows.db import db
from workflows.registry.models import Building, Organization

KINDS = ("planned", "emergency", "maintenance")  # maintenance: the annual hot-water shutdown
# registered → (pending_approval →) announced → restored; pending_approval → rejected
STATUSES = ("registered", "pending_approval", "announced", "restored", "rejected")
LIVE_STATUSES = ("registered", "pending_approval", "announced")
VIOLATION_KINDS = ("single_limit", "monthly_limit", "lead_time", "overlap")
REP_ROLES = ("chair", "active_resident")
REP_CHANNELS = ("telegram", "max", "vk", "sms", "email")


class Outage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outage"
    __table_args__ = (Index("ix_outage_status_ends", "status", "ends_at"),
                      UniqueConstraint("organization_id", "external_id", name="uq_outage_organization_external_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))  # the sender's id: a repeated create is a no-op
    kind: Mapped[str] = mapped_column(String(12))
    resource: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="registered")
    description: Mapped[str] = mapped_column(Text, default="")
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]  # the expected end, as last announced
    original_ends_at: Mapped[datetime]
    restored_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]  # when "работы продолжаются" went out for the current expected end
    violations_reviewed_at: Mapped[datetime | None]
    escalation_answered_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, default=0)  # changes of the expected end
    outdoor_temperature: Mapped[float | None] = mapped_column(Float)
    # the air in the living rooms (heating limits depend on it); None until measured: the strictest limit
    indoor_temperature: Mapped[float | None] = mapped_column(Float)
    indoor_temperature_at: Mapped[datetime | None]
    network_accident: Mapped[bool] = mapped_column(Boolean, default=False)  # on a centralised network
    building_count: Mapped[int] = mapped_column(Integer, default=0)
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")  # addresses in short, for public lists
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what the registrar asked for
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    organization: Mapped[Organization] = relationship(lazy="joined")


class OutageBuilding(db.Model):  # type: ignore[name-defined,misc]
    """A building an outage affects, with the limits the DMN table gave for it."""

    __tablename__ = "outage_building"
    __table_args__ = (UniqueConstraint("outage_id", "building_id", name="uq_outage_building"),
                      Index("ix_outage_building_building_resource", "building_id", "resource"))

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outage.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    resource: Mapped[str] = mapped_column(String(20))
    single_limit_hours: Mapped[float | None] = mapped_column(Float)
    monthly_limit_hours: Mapped[float | None] = mapped_column(Float)
    counts_monthly: Mapped[bool] = mapped_column(Boolean, default=True)  # its hours go into the month's total
    limit_rule: Mapped[str | None] = mapped_column(Text)  # the table row's words and source, for the evidence
    limit_source: Mapped[str | None] = mapped_column(String(300))
    reduction_per_hour: Mapped[float | None] = mapped_column(Float)  # % of the month's charge per hour over
    # measured in this building's living rooms (a representative's report); overrides the outage's figure
    indoor_temperature: Mapped[float | None] = mapped_column(Float)
    indoor_temperature_at: Mapped[datetime | None]
    # the supplier's restored_at is a claim; a representative's "Есть" confirms it, a "Нет" disputes it
    confirmed_restored_at: Mapped[datetime | None]
    restoration_disputed_at: Mapped[datetime | None]
    notified: Mapped[bool] = mapped_column(Boolean, default=False)  # its wave was on when announced

    building: Mapped[Building] = relationship(lazy="joined")


class OutageViolation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outage_violation"

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outage.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    building_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "message": self.message, "building_ids": list(self.building_ids),
                "details": self.details, "created_at": self.created_at.isoformat()}


class Representative(db.Model):  # type: ignore[name-defined,misc]
    """A building's chair or active resident who receives outage notices and passes them on."""

    __tablename__ = "representative"
    __table_args__ = (UniqueConstraint("building_id", "channel", "address", name="uq_representative_address"),
                      Index("ix_representative_building_active", "building_id", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="active_resident")
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(default=now)
    left_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "building_id": self.building_id, "name": self.name, "role": self.role,
                "channel": self.channel, "address": self.address, "active": self.active,
                "joined_at": self.joined_at.isoformat(), "left_at": self.left_at.isoformat() if self.left_at else None,
                "unreachable_at": self.unreachable_at.isoformat() if self.unreachable_at else None}


class Consent(db.Model):  # type: ignore[name-defined,misc]
    """Consent to receive notices, kept as its own record (152-ФЗ): when, which text version, which channel."""

    __tablename__ = "representative_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("representative.id", ondelete="CASCADE"), index=True)
    given_at: Mapped[datetime] = mapped_column(default=now)
    text_version: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))  # where it was given: telegram, max, api (by staff)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]

    def to_dict(self) -> dict[str, Any]:
        return {"given_at": self.given_at.isoformat(), "text_version": self.text_version, "channel": self.channel,
                "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None}


class InvitationToken(db.Model):  # type: ignore[name-defined,misc]
    """The invitation link's secret for one building (Telegram /start <token>, MAX start payload)."""

    __tablename__ = "representative_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class OutageFeedback(db.Model):  # type: ignore[name-defined,misc]
    """A representative's answer to the restoration notice: "Есть" / "Нет" (a "Нет" becomes an appeal)."""

    __tablename__ = "outage_feedback"
    __table_args__ = (UniqueConstraint("outage_id", "representative_id", name="uq_outage_feedback"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outage.id", ondelete="CASCADE"), index=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("representative.id", ondelete="CASCADE"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    answer: Mapped[str] = mapped_column(String(3))  # yes | no
    appeal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    answered_at: Mapped[datetime] = mapped_column(default=now)


class PendingFanOut(db.Model):  # type: ignore[name-defined,misc]
    """A large notice whose remainder is queued after the commit; kept until that is done.

    Written in the same transaction as the notice, so a lost `outage_fan_out` queue entry is found by the
    sweep and run again (queueing is idempotent per recipient).
    """

    __tablename__ = "outage_pending_fanout"

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outage.id", ondelete="CASCADE"), index=True)
    notice: Mapped[str] = mapped_column(String(40))
    notice_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
