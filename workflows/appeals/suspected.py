"""The suspected-outage process: the supplier and the ЦГДС coordinator confirm or reject a network fault.

Its diagram is `bpmn/network_fault.bpmn`; these are the operations its service tasks call (confirming,
which registers the outage, is in workflows/outages/suspected.py: outages build on appeals). Rejecting
sends each appeal back to its building's organisation.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal, Incident, IncidentBuilding
from workflows.appeals.signals import signal_incident
from workflows.db import db
from workflows.errors import NotFound
from workflows.runtime.operations import Operation, ServiceCall
from workflows.runtime.starts import start_process

ANSWER_WITHIN = timedelta(minutes=30)


def incident_buildings(incident_id: int) -> list[int]:
    return sorted(db.session.scalars(select(IncidentBuilding.building_id)
                                     .where(IncidentBuilding.incident_id == incident_id)))


def start_suspected_process(incident: Incident, appeal: Appeal) -> None:
    """Start the task for the supplier's staff and the coordinator (in the caller's transaction)."""
    data = {"incident_id": incident.id, "organization_id": incident.organization_id, "resource": incident.resource,
            "building_ids": incident_buildings(incident.id), "detected_by_appeal_id": appeal.id,
            "answer_due_at": (clock.now() + ANSWER_WITHIN).isoformat()}
    instance = start_process("network_fault", data, business_key=f"incident:{incident.id}")
    incident.instance_id = instance.id


def incident_of(call: ServiceCall) -> Incident:
    incident = db.session.get(Incident, int(call.data["incident_id"]))
    if incident is None:
        raise NotFound(f"нет инцидента {call.data.get('incident_id')}")
    return incident


def reject_suspected(call: ServiceCall) -> dict[str, Any]:
    """Not a network fault: each appeal goes back to its building's organisation with the reason."""
    incident = incident_of(call)
    if incident.status != "open":
        return {"status": incident.status}
    reason = str(call.data.get("comment") or "").strip() or "авария на сети не подтверждена"
    incident.status, incident.closing_note, incident.resolved_at = "rejected", reason, clock.now()
    for appeal in db.session.scalars(select(Appeal).where(Appeal.incident_id == incident.id)):
        add_event(appeal.id, "suspicion_rejected", reason, {"incident_id": incident.id})
    signal_incident(incident.id)
    return {"status": "rejected"}


def appeal_released(call: ServiceCall) -> None:
    """The appeal's network incident was rejected: it is routed again as an appeal about its building."""
    appeal = db.session.get(Appeal, int(call.data["appeal_id"]))
    if appeal is None:
        raise NotFound(f"нет обращения {call.data.get('appeal_id')}")
    reason = str(call.data.get("reason") or "")
    add_event(appeal.id, "incident_released", f"Обращение возвращено организации дома: {reason}",
              {"incident_id": appeal.incident_id})
    appeal.incident_id, appeal.incident, appeal.status, appeal.organization_id = None, None, "registered", None


def suspected_operations() -> dict[str, Operation]:
    """Confirming registers an outage: that operation is the outages package's (outages.suspected)."""
    return {"reject_suspected_outage": reject_suspected, "appeal_released": appeal_released}
