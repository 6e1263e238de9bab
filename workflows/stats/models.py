"""One row per appeal with what the figures read, kept up to date as the appeal and its history change.

The figures of `GET /api/v1/stats`, the board, the rating, the digest and open data read this table instead
of joining every appeal with its whole history (see tracking.py for how it is maintained).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Double, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflows.db import db

PERIOD_COLUMNS = ("organization_id", "category", "district", "status", "due_at", "incident_id", "accepted_at",
                  "resolved_at", "reopened_at", "escalated", "deadline", "accept_seconds", "resolve_seconds")


class AppealStat(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "appeal_stat"
    __table_args__ = (
        # a period's figures are read from this index alone on PostgreSQL (index-only scan, see sql_figures.py)
        Index("ix_appeal_stat_period", "created_at", postgresql_include=list(PERIOD_COLUMNS)),
        Index("ix_appeal_stat_org_created", "organization_id", "created_at"),
        # the board: overdue by organisation, emergencies in work (index-only too)
        Index("ix_appeal_stat_status_due", "status", "due_at", postgresql_include=["organization_id"]),
        Index("ix_appeal_stat_emergency", "emergency", "status", "created_at"),
        Index("ix_appeal_stat_resolved", "resolved_at"),
    )

    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeal.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    created_at: Mapped[datetime]
    organization_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(100))
    building_id: Mapped[int | None] = mapped_column(Integer)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    due_at: Mapped[datetime | None]
    incident_id: Mapped[int | None] = mapped_column(Integer)
    accepted_at: Mapped[datetime | None]  # the first `accepted` event
    resolved_at: Mapped[datetime | None]  # the latest `resolved` event
    reopened_at: Mapped[datetime | None]  # the latest `reopened` event
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline: Mapped[datetime | None]  # the first resolution deadline (the first `deadlines` event)
    # accepted_at / resolved_at minus created_at in seconds, written with them (tracking.py): the medians of
    # sql_figures.py sort these instead of computing a numeric EXTRACT per appeal and request (read on PostgreSQL)
    accept_seconds: Mapped[float | None] = mapped_column(Double)
    resolve_seconds: Mapped[float | None] = mapped_column(Double)
