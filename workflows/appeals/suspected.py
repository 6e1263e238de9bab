"""The suspected-outage process: the supplier and the ЦГДС coordinator confirm or reject a network fault.

Its diagram is `bpmn/network_fault.bpmn`; these are the operations its service tasks call.
Confirming registers the outage over the incident's buildings (or the ones the person chose), which
takes the incident's appeals over; rejecting sends each appeal back to its building's organisation.
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
from workflows.errors import NotFound, ValidationFailed
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


def _incident(call: ServiceCall) -> Incident:
    incident = db.session.get(Incident, int(call.data["incident_id"]))
    if incident is None:
        raise NotFound(f"нет инцидента {call.data.get('incident_id')}")
    return incident


def _outage_payload(incident: Incident, data: dict[str, Any]) -> dict[str, Any]:
    chosen = data.get("building_ids")
    building_ids = [b for b in chosen if isinstance(b, int) and not isinstance(b, bool)] \
        if isinstance(chosen, list) and chosen else incident_buildings(incident.id)
    return {"kind": "emergency", "resource": incident.resource, "organization_id": incident.organization_id,
            "starts_at": incident.opened_at.isoformat(), "ends_at": data.get("ends_at"),
            "description": data.get("description") or incident.cause or "", "building_ids": building_ids}


def check_confirmation(task: Any, data: dict[str, Any]) -> dict[str, str]:
    """Before a confirmation runs the process on: would its outage register? (Field errors if not.)"""
    from workflows.outages.service import check_registration  # outages build on appeals: resolve at call time
    from workflows.runtime.models import ProcessInstance

    if data.get("decision") != "confirm":
        return {}
    instance = db.session.get(ProcessInstance, task.instance_id)
    key = instance.business_key if instance is not None else None
    incident = db.session.get(Incident, int(key.removeprefix("incident:"))) if key else None
    if incident is None:
        return {}
    try:
        check_registration(_outage_payload(incident, data), None)
    except ValidationFailed as failure:
        details = failure.details if isinstance(failure.details, dict) else {}
        return {str(k): str(v) for k, v in details.items()} or {"decision": failure.message}
    return {}


def confirm_suspected(call: ServiceCall) -> dict[str, Any]:
    """Register the outage over the incident's buildings; the outage's incident takes the appeals over."""
    from workflows.outages.service import create_outage  # outages build on appeals: resolve at call time

    incident = _incident(call)
    if incident.status != "open":
        return {"outage_id": None, "status": incident.status}
    outage = create_outage(_outage_payload(incident, call.data), None)
    return {"outage_id": outage.id, "status": "confirmed"}


def reject_suspected(call: ServiceCall) -> dict[str, Any]:
    """Not a network fault: each appeal goes back to its building's organisation with the reason."""
    incident = _incident(call)
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
    return {"confirm_suspected_outage": confirm_suspected, "reject_suspected_outage": reject_suspected,
            "appeal_released": appeal_released}
