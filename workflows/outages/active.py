"""Is a building without a resource because of a known outage right now? (Consulted by appeal routing.)"""
from __future__ import annotations

from sqlalchemy import select

from workflows import clock
from workflows.appeals.models import Incident
from workflows.db import db
from workflows.outages.models import Outage, OutageBuilding

# Outages whose notices went out, or that wait for ЦГДС: residents who call about them join them.
ACTIVE_STATUSES = ("registered", "pending_approval", "announced")


def active_outage_for(building_id: int | None, resource: str | None) -> Outage | None:
    """The outage of `resource` that affects the building now (started, not restored), if any."""
    if building_id is None or resource is None:
        return None
    now = clock.now()
    query = (select(Outage).join(OutageBuilding, OutageBuilding.outage_id == Outage.id)
             .where(OutageBuilding.building_id == building_id, Outage.resource == resource,
                    Outage.status.in_(ACTIVE_STATUSES), Outage.starts_at <= now, Outage.restored_at.is_(None))
             .order_by(Outage.starts_at.desc()).limit(1))
    found: Outage | None = db.session.scalar(query)
    return found


def outage_incident(building_id: int | None, resource: str | None) -> Incident | None:
    """The open incident of the building's active outage, opened on first use; None without an outage."""
    outage = active_outage_for(building_id, resource)
    if outage is None or building_id is None:
        return None
    incident = db.session.scalar(select(Incident).where(Incident.outage_id == outage.id,
                                                        Incident.building_id == building_id,
                                                        Incident.status == "open"))
    if incident is None:
        incident = Incident(resource=outage.resource, building_id=building_id, outage_id=outage.id,
                            organization_id=outage.organization_id, status="open", cause=outage.description or None,
                            expected_end=outage.ends_at, opened_at=clock.now())
        db.session.add(incident)
        db.session.flush()
    return incident


def building_live_outages(building_id: int | None, limit: int = 20) -> list[Outage]:
    """Current and planned outages of a building that staff should know about while handling a call or task:
    not restored, not rejected, expected end not long past; current ones first, then by start."""
    if building_id is None:
        return []
    query = (select(Outage).join(OutageBuilding, OutageBuilding.outage_id == Outage.id)
             .where(OutageBuilding.building_id == building_id, Outage.status.in_(ACTIVE_STATUSES),
                    Outage.restored_at.is_(None))
             .order_by(Outage.starts_at, Outage.id).limit(limit))
    return list(db.session.scalars(query))
