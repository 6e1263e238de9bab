"""Per-appeal facts read from the appeals and their history, the one source of every figure.

An appeal counts as:
- accepted when its history has an `accepted` event (time to accept: registration → first `accepted`);
- resolved when its latest `resolved` event is not followed by a `reopened` one (time to resolve:
  registration → that `resolved` event);
- resolved on time when that event is no later than the first resolution deadline it was given
  (the `deadlines` event; an appeal that joined an incident is held to the incident's first appeal);
- reopened / escalated when its history has at least one `reopened` / `escalated` event;
- overdue now when it still waits for the organisation's work and its current deadline has passed.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.appeals.models import WORKING_STATUSES, Incident
from workflows.db import db
from workflows.stats import tracking  # noqa: F401 - keeps appeal_stat current after every flush
from workflows.stats.models import AppealStat
from workflows.stats.period import Period

CHUNK = 900  # ids per IN (...) list; below SQLite's variable limit


@dataclass(frozen=True)
class AppealFact:
    id: int
    organization_id: int | None
    category: str
    district: str | None
    building_id: int | None
    emergency: bool
    channel: str
    status: str
    created_at: datetime
    due_at: datetime | None
    accepted_at: datetime | None
    resolved_at: datetime | None
    reopened: bool
    escalated: bool
    deadline: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.status in WORKING_STATUSES and self.due_at is not None and self.due_at < now

    @property
    def on_time(self) -> bool:
        if self.resolved_at is None:
            return False
        return self.deadline is None or self.resolved_at <= self.deadline


def organization_scope(user: User) -> int | None:
    """None for the city's roles (every organisation); otherwise the one organisation the user may see."""
    if user.role in CITY_WIDE_ROLES:
        return None
    return user.organization_id or -1


def facts_query(period: Period, organization_id: int | None) -> Select[Any]:
    columns: list[Any] = [
        AppealStat.appeal_id, AppealStat.organization_id, AppealStat.category, AppealStat.district,
        AppealStat.building_id, AppealStat.emergency, AppealStat.channel, AppealStat.status, AppealStat.created_at,
        AppealStat.due_at, AppealStat.incident_id, AppealStat.accepted_at, AppealStat.resolved_at,
        AppealStat.reopened_at, AppealStat.escalated, AppealStat.deadline]
    query: Select[Any] = select(*columns).where(AppealStat.created_at >= period.starts_at,
                                                AppealStat.created_at < period.ends_before)
    if organization_id is not None:
        query = query.where(AppealStat.organization_id == organization_id)
    return query


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _primary_deadlines(incident_ids: set[int]) -> dict[int, datetime]:
    """The first resolution deadline of each incident's first appeal (joined appeals are held to it)."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(sorted(incident_ids)):
        rows = db.session.execute(select(Incident.id, AppealStat.deadline)
                                  .join(AppealStat, AppealStat.appeal_id == Incident.primary_appeal_id)
                                  .where(Incident.id.in_(chunk), AppealStat.deadline.is_not(None)))
        found.update({incident_id: deadline for incident_id, deadline in rows if deadline is not None})
    return found


def load_facts(period: Period, organization_id: int | None) -> list[AppealFact]:
    rows = db.session.execute(facts_query(period, organization_id)).all()
    primaries = _primary_deadlines({r[10] for r in rows if r[10] is not None and r[15] is None})
    facts = []
    for (appeal_id, org_id, category, district, building_id, emergency, channel, status, created_at, due_at,
         incident_id, accepted_at, resolved_at, reopened_at, escalated, deadline) in rows:
        if resolved_at is not None and reopened_at is not None and reopened_at >= resolved_at:
            resolved_at = None  # the resident said «не исправлено» after the last answer
        facts.append(AppealFact(
            id=appeal_id, organization_id=org_id, category=category, district=district or None,
            building_id=building_id, emergency=bool(emergency), channel=channel, status=status,
            created_at=created_at, due_at=due_at, accepted_at=accepted_at, resolved_at=resolved_at,
            reopened=reopened_at is not None, escalated=bool(escalated),
            deadline=deadline if deadline is not None else primaries.get(incident_id or 0)))
    return facts
