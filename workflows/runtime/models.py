"""Runtime tables: definition versions, spec bundles, instances and what they wait for."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import now
from workflows.db import db

INSTANCE_STATUSES = ("running", "waiting", "completed", "error", "cancelled")  # cancelled: replaced by hand
NO_DUE_TIME = datetime(9999, 12, 31, tzinfo=UTC)
URGENT, NORMAL = 0, 1  # human_task.priority


class ProcessVersion(db.Model):  # type: ignore[name-defined,misc]
    """One immutable deployed BPMN or DMN file; identical content is stored once."""

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_process_version_key_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # bpmn | dmn
    key: Mapped[str] = mapped_column(String(200), index=True)  # the process or decision id named by the file
    version: Mapped[int] = mapped_column(Integer)
    ids: Mapped[list[str]] = mapped_column(JSON)  # every executable process / decision id in the file
    called_decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    called_processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=now)
    # "bundled": deployed from bpmn/ by `demo load`; "person": by a designer, the API or the CLI
    source: Mapped[str] = mapped_column(String(10), default="person", server_default="person")
    # the version with the highest activation number is current (a deploy activates its new version)
    activation: Mapped[int | None] = mapped_column(Integer)
    activated_at: Mapped[datetime | None]
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "process_id": self.key, "kind": self.kind, "version": self.version, "ids": self.ids,
            "filename": self.filename, "deployed_at": self.deployed_at.isoformat(),
            "deployed_by_id": self.deployed_by_id, "content_hash": self.content_hash, "source": self.source,
            "activated_at": self.activated_at.isoformat() if self.activated_at else None,
        }


class SpecBundle(db.Model):  # type: ignore[name-defined,misc]
    """A parsed process spec for one combination of BPMN and DMN versions, stored once."""

    __tablename__ = "spec_bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_hash: Mapped[str] = mapped_column(String(64), unique=True)
    process_id: Mapped[str] = mapped_column(String(200))
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    version_ids: Mapped[list[int]] = mapped_column(JSON)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # loaded only on a spec-cache miss
    created_at: Mapped[datetime] = mapped_column(default=now)

    process_version: Mapped[ProcessVersion] = relationship(lazy="joined")


class ProcessInstance(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_process_instance_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    spec_bundle_id: Mapped[int] = mapped_column(ForeignKey("spec_bundle.id"))
    status: Mapped[str] = mapped_column(String(12), default="running")
    business_key: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_message: Mapped[str | None] = mapped_column(Text)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    completed_at: Mapped[datetime | None]

    spec_bundle: Mapped[SpecBundle] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def version(self) -> int:
        return self.spec_bundle.process_version.version

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "process_id": self.process_id, "version": self.version, "status": self.status,
            "business_key": self.business_key, "error": self.error_message,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
        }


class HumanTask(db.Model):  # type: ignore[name-defined,misc]
    """An open or finished user task, kept in step with its instance: inboxes read only this table."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_org_inbox", "organization_id", "status", "priority", "sort_key", "id"),
        Index("ix_human_task_inbox", "status", "priority", "sort_key", "id"),
        UniqueConstraint("instance_id", "task_uuid", name="uq_human_task_instance_task"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    process_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200), default="")  # space-separated role codes from the lane
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    # The inbox order: the due time, or far in the future for tasks without one. Never NULL, so one
    # index serves "earliest due first" on every backend (NULLs sort differently in SQLite and PostgreSQL).
    sort_key: Mapped[datetime] = mapped_column(default=lambda: NO_DUE_TIME)
    # Urgency before time: 0 for emergencies, 1 for the rest; inboxes sort by (priority, sort_key).
    priority: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    form: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | completed | cancelled
    appeal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    outage_id: Mapped[int | None] = mapped_column(Integer, index=True)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def role_list(self) -> list[str]:
        return self.roles.split()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "title": self.title, "appeal_id": self.appeal_id,
            "outage_id": self.outage_id, "process_id": self.process_id, "instance_id": self.instance_id,
            "lane": self.lane, "roles": self.role_list, "organization_id": self.organization_id,
            "assignee": self.assignee_id, "status": self.status,
            "due_at": self.due_at.isoformat() if self.due_at else None, "form": self.form,
            "urgent": self.priority == URGENT,
            "created_at": self.created_at.isoformat(),
        }


class TimerWait(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "timer_wait"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(index=True)


class MessageWait(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "message_wait"
    __table_args__ = (Index("ix_message_wait_lookup", "message_name", "correlation_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    message_name: Mapped[str] = mapped_column(String(200))
    correlation_key: Mapped[str] = mapped_column(String(300))


class InstanceEvent(db.Model):  # type: ignore[name-defined,misc]
    """Append-only log of what happened to an instance."""

    __tablename__ = "instance_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    task_name: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "actor_id": self.actor_id,
                "task": self.task_name, "data": self.data}
