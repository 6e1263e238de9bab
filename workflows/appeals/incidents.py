"""Incidents: appeals about one cause join one incident instead of becoming unrelated tickets.

Three kinds (workflows.appeals.models.INCIDENT_KINDS): a *building* incident gathers the appeals about one
resource on one building and is held by the organisation its first appeal was routed to; a *suspected*
incident is a supplier's network fault seen in the appeals of several of its buildings (network.py);
an *outage* incident belongs to a registered outage and covers its buildings. A network incident
(suspected or outage) absorbs the building incidents of the buildings it covers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, select, text

from workflows import clock
from workflows.appeals.catalog import CODES, resource_of
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal, Incident, IncidentBuilding
from workflows.appeals.signals import signal_incident
from workflows.db import db, is_postgres
from workflows.registry.models import Building
from workflows.services import services

# An open building incident older than this no longer attracts new appeals unless an outage holds it open.
JOIN_WINDOW = timedelta(hours=48)
NETWORK_KINDS = ("suspected", "outage")
_LOCK_NAMESPACE = 22_000


@dataclass(frozen=True)
class Detection:
    """When appeals from several buildings of one supplier point to a fault on its network (outage_detection.dmn)."""

    min_buildings: int
    window: timedelta

    @classmethod
    def from_params(cls, min_buildings: object, window_minutes: object) -> Detection | None:
        try:
            count, minutes = int(str(min_buildings)), float(str(window_minutes))
        except (TypeError, ValueError):
            return None
        return cls(count, timedelta(minutes=minutes)) if count >= 2 and minutes > 0 else None


def serialize_cause(resource: str, building: Building) -> None:
    """Serialise attaching and outage registration for one resource of one supplier (PostgreSQL).

    An appeal arriving while an outage over its building is being registered then waits for that
    registration and joins it; SQLite writers are serialised already.
    """
    if not is_postgres():
        return
    supplier = building.supplier_for(resource)
    key = supplier.id if supplier is not None else -building.id
    lock_cause(resource, [key])


def lock_cause(resource: str, keys: list[int]) -> None:
    if not is_postgres():
        return
    namespace = _LOCK_NAMESPACE + CODES.index(resource)
    for key in sorted(set(keys)):
        db.session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": namespace, "b": key})


def network_incident_for(building_id: int, resource: str) -> Incident | None:
    """The open network incident covering the building for this resource; a registered outage first."""
    query = (select(Incident).join(IncidentBuilding, IncidentBuilding.incident_id == Incident.id)
             .where(IncidentBuilding.building_id == building_id, Incident.resource == resource,
                    Incident.status == "open", Incident.kind.in_(NETWORK_KINDS))
             .order_by(case((Incident.kind == "outage", 0), else_=1), Incident.id).limit(1))
    found: Incident | None = db.session.scalar(query)
    return found


def open_incident_for(building_id: int | None, resource: str | None) -> Incident | None:
    """The open building incident for this building and resource (recent, or linked to an outage)."""
    if building_id is None or resource is None:
        return None
    since = clock.now() - JOIN_WINDOW
    query = (select(Incident).where(Incident.building_id == building_id, Incident.resource == resource,
                                    Incident.status == "open", Incident.kind == "building")
             .order_by(Incident.id))
    for incident in db.session.scalars(query):
        if incident.outage_id is not None or incident.opened_at >= since:
            return incident
    return None


def cause_known(building_id: int | None, category: str) -> bool:
    """A registered outage or a suspected network fault of the category's resource covers the building."""
    resource = resource_of(category)
    if building_id is None or resource is None:
        return False
    if network_incident_for(building_id, resource) is not None:
        return True
    return services().outages.active_outage_for(building_id, resource) is not None


def join(appeal: Appeal, incident: Incident) -> None:
    appeal.incident_id, appeal.incident = incident.id, incident
    if incident.organization_id is not None:
        appeal.organization_id = incident.organization_id


def absorb(incident: Incident, into: Incident, reason: str) -> int:
    """Move a building incident's appeals into a network incident; their organisation's tasks close.

    Returns how many appeals moved. The processes of appeals that were being worked hear it after the
    commit (signals.py), and again from the minute sweep if that signal is lost.
    """
    moved = 0
    for appeal in db.session.scalars(select(Appeal).where(Appeal.incident_id == incident.id)):
        if appeal.status in ("closed",):
            continue
        previous_org = appeal.organization.name if appeal.organization else None
        join(appeal, into)
        if appeal.status not in ("resolved",):
            appeal.status = "joined"
            appeal.due_at = None  # the incident's holder works it now; its own deadlines stay as evidence
        add_event(appeal.id, "incident_absorbed", reason,
                  {"incident_id": into.id, "from_incident_id": incident.id, "organization_id": into.organization_id,
                   "previous_organization": previous_org})
        moved += 1
    incident.status, incident.absorbed_into_id = "absorbed", into.id
    incident.closing_note, incident.resolved_at = reason, clock.now()
    signal_incident(into.id)
    return moved


def joined_appeals(incident_id: int) -> list[Appeal]:
    return list(db.session.scalars(select(Appeal).where(Appeal.incident_id == incident_id,
                                                        Appeal.status == "joined")))
