"""Incidents: appeals about one cause join one incident instead of becoming unrelated tickets."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from workflows import clock
from workflows.appeals.catalog import resource_of
from workflows.appeals.models import Appeal, Incident
from workflows.db import db

# An open incident older than this no longer attracts new appeals unless an outage holds it open.
JOIN_WINDOW = timedelta(hours=48)


def open_incident_for(building_id: int | None, resource: str | None) -> Incident | None:
    if building_id is None or resource is None:
        return None
    since = clock.now() - JOIN_WINDOW
    query = (select(Incident).where(Incident.building_id == building_id, Incident.resource == resource,
                                    Incident.status == "open")
             .order_by(Incident.id))
    for incident in db.session.scalars(query):
        if incident.outage_id is not None or incident.opened_at >= since:
            return incident
    return None


def outage_incident_for(building_id: int | None, resource: str | None) -> Incident | None:
    """The incident of a known outage of this resource at the building (opened on first use), if any."""
    from workflows.outages.active import outage_incident  # outages build on appeals: resolve at call time

    return outage_incident(building_id, resource)


def attach(appeal: Appeal, organization_id: int | None) -> tuple[Incident | None, bool]:
    """Join an open incident about the same cause, or open one for an emergency.

    Returns the incident (or None) and whether the appeal joined an existing one.
    """
    resource = resource_of(appeal.category)
    existing = open_incident_for(appeal.building_id, resource) or outage_incident_for(appeal.building_id, resource)
    if existing is not None:
        appeal.incident_id = existing.id
        return existing, True
    if resource is None or not appeal.emergency:
        return None, False
    incident = Incident(resource=resource, building_id=appeal.building_id, organization_id=organization_id,
                        primary_appeal_id=appeal.id, status="open", opened_at=clock.now())
    db.session.add(incident)
    db.session.flush()
    appeal.incident_id = incident.id
    return incident, False


def joined_appeals(incident_id: int) -> list[Appeal]:
    return list(db.session.scalars(select(Appeal).where(Appeal.incident_id == incident_id,
                                                        Appeal.status == "joined")))
