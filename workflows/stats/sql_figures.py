"""The same figures as figures.py, aggregated by PostgreSQL itself (counts and medians in one statement).

Used on PostgreSQL, where a month of a large city is tens of thousands of rows: the database returns one
row per group instead of one per appeal. The definitions are facts.py's, written as SQL.

One pass answers the groups and the totals (GROUPING SETS); the period's rows are read from the covering
index `ix_appeal_stat_period` alone (an index-only scan in registration order, no visit to the table), and an
appeal that joined an incident without a deadline of its own looks up its first appeal's deadline by key. The
medians sort the stored durations (`accept_seconds`, `resolve_seconds`: `EXTRACT(epoch ...)` as float8, the
same value percentile_cont was given when it computed them per request).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.orm import aliased

from workflows.appeals.models import WORKING_STATUSES, Incident
from workflows.db import db
from workflows.stats.models import AppealStat
from workflows.stats.period import Period

GROUP_COLUMNS = {"organization": AppealStat.organization_id, "category": AppealStat.category,
                 "district": AppealStat.district}


def _median_seconds(seconds: Any, condition: Any = None) -> Any:
    median = func.percentile_cont(0.5).within_group(seconds)
    return median.filter(condition) if condition is not None else median


def _primary_deadline() -> Any:
    """The first deadline of the incident's first appeal (only asked for appeals without their own)."""
    primary = aliased(AppealStat)
    return (select(primary.deadline).join(Incident, Incident.primary_appeal_id == primary.appeal_id)
            .where(Incident.id == AppealStat.incident_id).scalar_subquery())


def _columns(now: datetime) -> list[Any]:
    deadline = case((and_(AppealStat.deadline.is_(None), AppealStat.incident_id.is_not(None)), _primary_deadline()),
                    else_=AppealStat.deadline)
    resolved = and_(AppealStat.resolved_at.is_not(None),
                    or_(AppealStat.reopened_at.is_(None), AppealStat.reopened_at < AppealStat.resolved_at))
    return [func.count(), func.count(AppealStat.accepted_at), func.count().filter(resolved),
            func.count().filter(and_(resolved, or_(deadline.is_(None), AppealStat.resolved_at <= deadline))),
            func.count().filter(and_(AppealStat.status.in_(WORKING_STATUSES), AppealStat.due_at < now)),
            func.count(AppealStat.reopened_at), func.count().filter(AppealStat.escalated.is_(True)),
            _median_seconds(AppealStat.accept_seconds), _median_seconds(AppealStat.resolve_seconds, resolved)]


Row = tuple[Any, ...]
WORK_MEM = "32MB"


def aggregate(period: Period, organization_id: int | None, group: str, now: datetime) -> tuple[list[Row], Row | None]:
    """Per group and in total: (key, registered, accepted, resolved, on_time, overdue, reopened, escalated,
    accept_s, resolve_s); the totals are None when the period has no appeals."""
    key = GROUP_COLUMNS[group]
    query = (select(func.grouping(key), key, *_columns(now)).select_from(AppealStat)
             .where(AppealStat.created_at >= period.starts_at, AppealStat.created_at < period.ends_before)
             .group_by(func.grouping_sets(key, text("()"))))
    if organization_id is not None:
        query = query.where(AppealStat.organization_id == organization_id)
    rows, totals = [], None
    # A short query the planner overestimates (the incident look-up's cost is counted for every row): compiling
    # it with JIT took seconds on a busy machine, longer than the query itself. The medians sort the period's
    # durations: in memory (a few MB for a month of a large city) rather than on disk.
    for setting in ("SET LOCAL jit = off", f"SET LOCAL work_mem = '{WORK_MEM}'"):
        db.session.execute(text(setting))
    for row in db.session.execute(query):
        if row[0]:  # the empty grouping set: every appeal of the period
            totals = (None, *row[2:]) if row[2] else None
        else:
            rows.append(tuple(row[1:]))
    return rows, totals
