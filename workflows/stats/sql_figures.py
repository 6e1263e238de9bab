"""The same figures as figures.py, aggregated by PostgreSQL itself (counts and medians in one statement).

Used on PostgreSQL, where a month of a large city is tens of thousands of rows: the database returns one
row per group instead of one per appeal. The definitions are facts.py's, written as SQL.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from workflows.appeals.models import WORKING_STATUSES, Incident
from workflows.db import db
from workflows.stats.models import AppealStat
from workflows.stats.period import Period

GROUP_COLUMNS = {"organization": AppealStat.organization_id, "category": AppealStat.category,
                 "district": AppealStat.district}


def _median_seconds(later: Any, condition: Any = None) -> Any:
    seconds = func.extract("epoch", later - AppealStat.created_at)
    median = func.percentile_cont(0.5).within_group(seconds)
    return median.filter(condition) if condition is not None else median


def _columns(now: datetime) -> tuple[list[Any], Any]:
    primary = aliased(AppealStat)
    deadline = func.coalesce(AppealStat.deadline, primary.deadline)
    resolved = and_(AppealStat.resolved_at.is_not(None),
                    or_(AppealStat.reopened_at.is_(None), AppealStat.reopened_at < AppealStat.resolved_at))
    return [func.count(), func.count(AppealStat.accepted_at), func.count().filter(resolved),
            func.count().filter(and_(resolved, or_(deadline.is_(None), AppealStat.resolved_at <= deadline))),
            func.count().filter(and_(AppealStat.status.in_(WORKING_STATUSES), AppealStat.due_at < now)),
            func.count(AppealStat.reopened_at), func.count().filter(AppealStat.escalated.is_(True)),
            _median_seconds(AppealStat.accepted_at), _median_seconds(AppealStat.resolved_at, resolved)], primary


def aggregate(period: Period, organization_id: int | None, group: str | None, now: datetime) -> list[tuple[Any, ...]]:
    """Rows of (key, registered, accepted, resolved, on_time, overdue, reopened, escalated, accept_s, resolve_s)."""
    columns, primary = _columns(now)
    key = GROUP_COLUMNS[group] if group else None
    query = (select(*([key] if key is not None else []), *columns).select_from(AppealStat)
             .outerjoin(Incident, Incident.id == AppealStat.incident_id)
             .outerjoin(primary, primary.appeal_id == Incident.primary_appeal_id)
             .where(AppealStat.created_at >= period.starts_at, AppealStat.created_at < period.ends_before))
    if organization_id is not None:
        query = query.where(AppealStat.organization_id == organization_id)
    if key is not None:
        query = query.group_by(key)
    rows = db.session.execute(query).all()
    return [tuple(r) if key is not None else (None, *r) for r in rows]
