"""The live operations board of ЦГДС and the city administration: what needs attention now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from workflows import clock
from workflows.appeals.models import WORKING_STATUSES, Appeal, Incident
from workflows.db import db
from workflows.delivery.progress import DeliveryStats, delivery_stats
from workflows.outages.models import Outage
from workflows.registry.models import Building, Organization
from workflows.runtime.models import HumanTask
from workflows.social_intake.models import SocialPost
from workflows.stats.models import AppealStat
from workflows.stats.period import Period, today

EMERGENCY_LIMIT = 12
INCIDENT_LIMIT = 6
GROWTH_WINDOW = timedelta(hours=3)


@dataclass(frozen=True)
class OrgCount:
    organization_id: int | None
    name: str
    count: int


@dataclass(frozen=True)
class OutageLine:
    outage: Outage
    current: bool
    deliveries: DeliveryStats


@dataclass(frozen=True)
class IncidentLine:
    incident: Incident
    address: str
    appeals: int
    recent: int


@dataclass(frozen=True)
class Board:
    now: datetime
    today: Period
    registered_today: int
    resolved_today: int
    emergencies: list[Appeal]
    emergencies_total: int
    overdue: list[OrgCount]
    escalations: list[OrgCount]
    outages: list[OutageLine]
    incidents: list[IncidentLine]
    social_waiting: int
    social_oldest: datetime | None

    @property
    def overdue_total(self) -> int:
        return sum(row.count for row in self.overdue)

    @property
    def escalations_total(self) -> int:
        return sum(row.count for row in self.escalations)


def _names(rows: list[tuple[int | None, int]]) -> list[OrgCount]:
    ids = [org_id for org_id, _ in rows if org_id is not None]
    names = dict(db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all()) \
        if ids else {}
    return [OrgCount(org_id, str(names.get(org_id or 0, "Исполнитель не назначен")), int(n)) for org_id, n in rows]


def _emergencies() -> tuple[list[Appeal], int]:
    where = (AppealStat.status.in_(WORKING_STATUSES), AppealStat.emergency.is_(True))
    total = db.session.scalar(select(func.count()).select_from(AppealStat).where(*where)) or 0
    ids = list(db.session.scalars(select(AppealStat.appeal_id).where(*where).order_by(AppealStat.created_at)
                                  .limit(EMERGENCY_LIMIT)))
    rows: list[Appeal] = list(db.session.scalars(select(Appeal).where(Appeal.id.in_(ids))
                                                 .order_by(Appeal.created_at))) if ids else []
    return rows, int(total)


def _overdue(now: datetime) -> list[OrgCount]:
    rows = db.session.execute(
        select(AppealStat.organization_id, func.count())
        .where(AppealStat.status.in_(WORKING_STATUSES), AppealStat.due_at < now)
        .group_by(AppealStat.organization_id).order_by(func.count().desc())).all()
    return _names([(r[0], r[1]) for r in rows])


def _escalations() -> list[OrgCount]:
    rows = db.session.execute(
        select(HumanTask.organization_id, func.count(HumanTask.id))
        .where(HumanTask.status == "open", HumanTask.name == "escalation")
        .group_by(HumanTask.organization_id).order_by(func.count(HumanTask.id).desc())).all()
    return _names([(r[0], r[1]) for r in rows])


def _outages(now: datetime) -> list[OutageLine]:
    rows = db.session.scalars(select(Outage).where(Outage.status == "announced", Outage.restored_at.is_(None))
                              .order_by(Outage.starts_at, Outage.id).limit(30))
    return [OutageLine(o, o.starts_at <= now, delivery_stats(f"outage:{o.id}")) for o in rows]


def _incidents(now: datetime) -> list[IncidentLine]:
    since = now - GROWTH_WINDOW
    recent = func.count(Appeal.id).filter(Appeal.created_at >= since)
    rows = db.session.execute(
        select(Incident, func.count(Appeal.id), recent, Building.address)
        .join(Appeal, Appeal.incident_id == Incident.id).outerjoin(Building, Building.id == Incident.building_id)
        .where(Incident.status == "open").group_by(Incident.id, Building.address)
        .order_by(recent.desc(), func.count(Appeal.id).desc(), Incident.id).limit(INCIDENT_LIMIT)).all()
    return [IncidentLine(r[0], r[3] or "адрес не указан", int(r[1]), int(r[2])) for r in rows]


def _social() -> tuple[int, datetime | None]:
    row = db.session.execute(select(func.count(SocialPost.id), func.min(SocialPost.first_seen_at))
                             .where(SocialPost.status == "queued")).one()
    return int(row[0] or 0), row[1]


def _today(day: Period) -> tuple[int, int]:
    registered = db.session.scalar(select(func.count()).select_from(AppealStat).where(
        AppealStat.created_at >= day.starts_at, AppealStat.created_at < day.ends_before)) or 0
    resolved = db.session.scalar(select(func.count()).select_from(AppealStat).where(
        AppealStat.resolved_at >= day.starts_at, AppealStat.resolved_at < day.ends_before)) or 0
    return int(registered), int(resolved)


def board() -> Board:
    now, day = clock.now(), Period(today(), today())
    emergencies, emergencies_total = _emergencies()
    registered, resolved = _today(day)
    waiting, oldest = _social()
    return Board(now=now, today=day, registered_today=registered, resolved_today=resolved, emergencies=emergencies,
                 emergencies_total=emergencies_total, overdue=_overdue(now), escalations=_escalations(),
                 outages=_outages(now), incidents=_incidents(now), social_waiting=waiting, social_oldest=oldest)


def board_counts(b: Board) -> dict[str, Any]:
    """The board's headline figures (for the page's refresh and for tests)."""
    return {"emergencies": b.emergencies_total, "overdue": b.overdue_total, "escalations": b.escalations_total,
            "outages_current": sum(1 for o in b.outages if o.current),
            "outages_planned": sum(1 for o in b.outages if not o.current),
            "incidents": len(b.incidents), "social_waiting": b.social_waiting,
            "registered_today": b.registered_today, "resolved_today": b.resolved_today}
