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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.appeals.models import WORKING_STATUSES, Appeal, AppealEvent, Incident
from workflows.db import db
from workflows.registry.models import Building
from workflows.stats.period import Period

COUNTED_KINDS = ("accepted", "resolved", "reopened", "escalated")
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


def _event_columns() -> list[Any]:
    def first(kind: str, fn: Any) -> Any:
        return fn(case((AppealEvent.kind == kind, AppealEvent.at)))
    return [first("accepted", func.min).label("accepted_at"), first("resolved", func.max).label("resolved_at"),
            first("reopened", func.max).label("reopened_at"),
            func.count(case((AppealEvent.kind == "escalated", 1))).label("escalations")]


def facts_query(period: Period, organization_id: int | None) -> Select[Any]:
    columns: list[Any] = [Appeal.id, Appeal.organization_id, Appeal.category, Building.district, Appeal.building_id,
                          Appeal.emergency, Appeal.channel, Appeal.status, Appeal.created_at, Appeal.due_at,
                          Appeal.incident_id, *_event_columns()]
    query: Select[Any] = (
        select(*columns).select_from(Appeal)
        .outerjoin(Building, Building.id == Appeal.building_id)
        .outerjoin(AppealEvent, and_(AppealEvent.appeal_id == Appeal.id, AppealEvent.kind.in_(COUNTED_KINDS)))
        .where(Appeal.created_at >= period.starts_at, Appeal.created_at < period.ends_before)
        .group_by(Appeal.id, Building.district))
    if organization_id is not None:
        query = query.where(Appeal.organization_id == organization_id)
    return query


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def first_deadlines(appeal_ids: Iterable[int]) -> dict[int, datetime]:
    """The first resolution deadline each appeal was given (a reopening moves the current one)."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(sorted(set(appeal_ids))):
        rows = db.session.execute(select(AppealEvent.appeal_id, AppealEvent.data)
                                  .where(AppealEvent.kind == "deadlines", AppealEvent.appeal_id.in_(chunk))
                                  .order_by(AppealEvent.id))
        for appeal_id, data in rows:
            if appeal_id not in found and isinstance(data, dict) and data.get("resolve_due_at"):
                found[appeal_id] = datetime.fromisoformat(str(data["resolve_due_at"]))
    return found


def _primary_of(incident_ids: set[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(sorted(incident_ids)):
        rows = db.session.execute(select(Incident.id, Incident.primary_appeal_id).where(Incident.id.in_(chunk)))
        found.update({incident_id: primary for incident_id, primary in rows if primary is not None})
    return found


def load_facts(period: Period, organization_id: int | None) -> list[AppealFact]:
    rows = db.session.execute(facts_query(period, organization_id)).all()
    primaries = _primary_of({r.incident_id for r in rows if r.incident_id is not None})
    deadlines = first_deadlines([r.id for r in rows] + list(primaries.values()))
    facts = []
    for r in rows:
        resolved_at = r.resolved_at if r.resolved_at and (r.reopened_at is None or r.reopened_at < r.resolved_at) \
            else None
        deadline = deadlines.get(r.id)
        if deadline is None and r.incident_id in primaries:
            deadline = deadlines.get(primaries[r.incident_id])
        facts.append(AppealFact(
            id=r.id, organization_id=r.organization_id, category=r.category, district=r.district or None,
            building_id=r.building_id, emergency=bool(r.emergency), channel=r.channel, status=r.status,
            created_at=r.created_at, due_at=r.due_at, accepted_at=r.accepted_at, resolved_at=resolved_at,
            reopened=r.reopened_at is not None, escalated=bool(r.escalations), deadline=deadline))
    return facts
