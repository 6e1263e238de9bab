"""Network incidents: a supplier's fault seen in the appeals before anyone registers an outage, and outages.

Detection: when appeals about one resource come from `min_buildings` buildings served by one supplier
within `window` (outage_detection.dmn), a *suspected* incident of that supplier opens at once; it
absorbs those buildings' incidents, gathers later appeals from the supplier's buildings, and starts the
`network_fault` process (a task for the supplier's staff and the ЦГДС coordinator). Confirming
registers the outage; rejecting sends the appeals back to their buildings' organisations.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from workflows import clock, resources
from workflows.appeals.catalog import resource_of
from workflows.appeals.history import add_event
from workflows.appeals.incidents import (
    Detection,
    absorb,
    join,
    lock_cause,
    network_incident_for,
    open_incident_for,
    serialize_cause,
)
from workflows.appeals.models import Appeal, Incident, IncidentBuilding
from workflows.appeals.signals import signal_incident
from workflows.appeals.suspected import start_suspected_process
from workflows.db import db
from workflows.registry.models import Building, BuildingSupplier
from workflows.services import services


def _covered(incident_id: int) -> set[int]:
    return set(db.session.scalars(select(IncidentBuilding.building_id)
                                  .where(IncidentBuilding.incident_id == incident_id)))


def cover(incident: Incident, building_ids: set[int], reason: str) -> None:
    """Add buildings to a network incident and absorb their open building incidents of its resource."""
    new = sorted(building_ids - _covered(incident.id))
    if not new:
        return
    db.session.add_all([IncidentBuilding(incident_id=incident.id, building_id=b) for b in new])
    db.session.flush()
    for building_id in new:
        found = open_incident_for(building_id, incident.resource)
        if found is not None and found.id != incident.id:
            absorb(found, incident, reason)


def _last_rejection(supplier_id: int, resource: str) -> datetime | None:
    found: datetime | None = db.session.scalar(select(func.max(Incident.resolved_at)).where(
        Incident.kind == "suspected", Incident.organization_id == supplier_id, Incident.resource == resource,
        Incident.status == "rejected"))
    return found


def _open_suspected(supplier_id: int, resource: str) -> Incident | None:
    found: Incident | None = db.session.scalar(select(Incident).where(
        Incident.kind == "suspected", Incident.organization_id == supplier_id, Incident.resource == resource,
        Incident.status == "open").order_by(Incident.id).limit(1))
    return found


def _reporting_buildings(supplier_id: int, resource: str, detection: Detection) -> set[int]:
    """Buildings of the supplier with appeals about the resource in the window (after the last rejection)."""
    since = clock.now() - detection.window
    rejected = _last_rejection(supplier_id, resource)
    after = Appeal.created_at > rejected if rejected is not None and rejected >= since else \
        Appeal.created_at >= since
    query = (select(Appeal.building_id).distinct()
             .join(BuildingSupplier, (BuildingSupplier.building_id == Appeal.building_id)
                   & (BuildingSupplier.resource == resource))
             .where(BuildingSupplier.organization_id == supplier_id, Appeal.category == resource, after))
    return {b for b in db.session.scalars(query) if b is not None}


def detect(appeal: Appeal, building: Building, resource: str, detection: Detection) -> Incident | None:
    """The supplier's suspected incident this appeal belongs to: an open one, or one opened now."""
    supplier = building.supplier_for(resource)
    if supplier is None:
        return None
    suspected = _open_suspected(supplier.id, resource)
    if suspected is not None:
        cover(suspected, {building.id}, _absorbed_reason(suspected))
        return suspected
    reporting = _reporting_buildings(supplier.id, resource, detection) | {building.id}
    if len(reporting) < detection.min_buildings:
        return None
    minutes = int(detection.window.total_seconds() // 60)
    incident = Incident(kind="suspected", resource=resource, organization_id=supplier.id, status="open",
                        opened_at=clock.now(),
                        cause=(f"Предполагаемая авария на сети {resources.genitive(resource)}: "
                               f"обращения из {len(reporting)} домов за {minutes} мин"))
    db.session.add(incident)
    db.session.flush()
    cover(incident, reporting, _absorbed_reason(incident))
    start_suspected_process(incident, appeal)
    return incident


def _absorbed_reason(incident: Incident) -> str:
    org = incident.organization.name if incident.organization is not None else "РСО"
    if incident.kind == "outage":
        return f"Дом в зоне зарегистрированного отключения № {incident.outage_id}: обращение передано в {org}."
    return f"Обращения из нескольких домов указывают на аварию на сети: обращение передано в {org}."


def outage_incident_at(building_id: int, resource: str) -> Incident | None:
    """The incident of an outage of this resource running at the building now (opened on first use)."""
    outage = services().outages.active_outage_for(building_id, resource)
    if outage is None:
        return None
    return outage_incident(outage.id)


def outage_incident(outage_id: int) -> Incident:
    """The open incident of an outage covering all its buildings; building and suspected incidents of
    those buildings are absorbed into it."""
    found: Incident | None = db.session.scalar(select(Incident).where(
        Incident.kind == "outage", Incident.outage_id == outage_id, Incident.status == "open"))
    if found is not None:
        return found
    outage, buildings = services().outages.outage_scope(outage_id)
    assert outage is not None
    suspected = _suspected_covering(outage.resource, buildings)
    incident = Incident(kind="outage", resource=outage.resource, outage_id=outage.id,
                        organization_id=outage.organization_id, status="open", opened_at=clock.now(),
                        cause=outage.description or None, expected_end=outage.ends_at)
    db.session.add(incident)
    db.session.flush()
    for candidate in suspected:
        settle_suspected(candidate, incident, f"Зарегистрировано отключение № {outage.id}.")
    cover(incident, buildings, _absorbed_reason(incident))
    return incident


def _suspected_covering(resource: str, building_ids: set[int]) -> list[Incident]:
    if not building_ids:
        return []
    query = (select(Incident).join(IncidentBuilding, IncidentBuilding.incident_id == Incident.id)
             .where(Incident.kind == "suspected", Incident.status == "open", Incident.resource == resource,
                    IncidentBuilding.building_id.in_(sorted(building_ids))).distinct())
    return list(db.session.scalars(query))


def settle_suspected(suspected: Incident, into: Incident, reason: str) -> None:
    """A registered outage takes over a suspected incident: its appeals move, its task closes."""
    for appeal in db.session.scalars(select(Appeal).where(Appeal.incident_id == suspected.id)):
        appeal.incident_id, appeal.incident = into.id, into
        appeal.organization_id = into.organization_id or appeal.organization_id
    suspected.status, suspected.absorbed_into_id = "absorbed", into.id
    suspected.closing_note, suspected.resolved_at = reason, clock.now()
    signal_incident(suspected.id)
    signal_incident(into.id)


def lock_outage_scope(resource: str, building_ids: list[int]) -> None:
    """Take the same locks an appeal about these buildings takes (incidents.serialize_cause)."""
    if not building_ids:
        return
    rows = db.session.execute(select(BuildingSupplier.building_id, BuildingSupplier.organization_id).where(
        BuildingSupplier.building_id.in_(building_ids), BuildingSupplier.resource == resource)).all()
    supplied = {b for b, _ in rows}
    lock_cause(resource, [org for _, org in rows] + [-b for b in building_ids if b not in supplied])


def attach(appeal: Appeal, organization_id: int | None,
           detection: Detection | None = None) -> tuple[Incident | None, bool]:
    """Join the incident of this appeal's cause, or open a building incident held by `organization_id`.

    Returns the incident (or None for appeals about no resource) and whether the appeal joined an
    existing one (True: it waits for the incident; False: it is the incident's first appeal and is worked).
    """
    resource = resource_of(appeal.category)
    building = appeal.building or (db.session.get(Building, appeal.building_id) if appeal.building_id else None)
    if resource is None or building is None:
        return None, False
    serialize_cause(resource, building)
    previous = appeal.incident
    found = network_incident_for(building.id, resource) or outage_incident_at(building.id, resource)
    if found is None and detection is not None:
        found = detect(appeal, building, resource, detection)
    if found is None:
        found = open_incident_for(building.id, resource)
    if found is not None and found.id != (previous.id if previous else None):
        join(appeal, found)
        return found, True
    linked_outage = previous.outage_id if previous is not None and previous.kind == "outage" else None
    incident = Incident(kind="building", resource=resource, building_id=building.id, organization_id=organization_id,
                        primary_appeal_id=appeal.id, status="open", opened_at=clock.now(), outage_id=linked_outage)
    db.session.add(incident)
    db.session.flush()
    appeal.incident_id, appeal.incident = incident.id, incident
    if linked_outage is not None:
        add_event(appeal.id, "incident_reopened", "жители сообщают, что подачи всё ещё нет",
                  {"incident_id": incident.id, "outage_id": linked_outage})
    return incident, False
