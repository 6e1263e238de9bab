"""What a person deciding about a network incident needs to see: its buildings and appeals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from workflows.appeals.models import Appeal, Incident, IncidentBuilding
from workflows.db import db
from workflows.registry.models import Building

MAX_LISTED_APPEALS = 200


@dataclass
class CoveredBuilding:
    id: int
    address: str
    appeals: int
    first_appeal_at: datetime | None


@dataclass
class IncidentView:
    incident: Incident
    buildings: list[CoveredBuilding]
    appeals: list[Appeal]
    appeal_count: int


def incident_view(incident_id: int) -> IncidentView | None:
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        return None
    counts = select(Appeal.building_id, func.count(Appeal.id).label("n"), func.min(Appeal.created_at).label("first")) \
        .where(Appeal.incident_id == incident_id).group_by(Appeal.building_id).subquery()
    rows = db.session.execute(
        select(Building.id, Building.address, counts.c.n, counts.c.first)
        .join(IncidentBuilding, IncidentBuilding.building_id == Building.id)
        .outerjoin(counts, counts.c.building_id == Building.id)
        .where(IncidentBuilding.incident_id == incident_id).order_by(Building.address)).all()
    buildings = [CoveredBuilding(b_id, address, int(n or 0), first) for b_id, address, n, first in rows]
    appeals = list(db.session.scalars(select(Appeal).where(Appeal.incident_id == incident_id)
                                      .order_by(Appeal.created_at).limit(MAX_LISTED_APPEALS)))
    total = db.session.scalar(select(func.count(Appeal.id)).where(Appeal.incident_id == incident_id)) or 0
    return IncidentView(incident, buildings, appeals, int(total))


def incident_of_instance(business_key: str | None) -> int | None:
    """The incident a `network_fault` instance is about (its business key is "incident:<id>")."""
    if not business_key or not business_key.startswith("incident:"):
        return None
    tail = business_key.removeprefix("incident:")
    return int(tail) if tail.isdigit() else None
