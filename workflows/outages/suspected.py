"""Confirming a suspected network fault (bpmn/network_fault.bpmn): the outage is registered over the incident's
buildings (or the ones the person chose), which takes the incident's appeals over."""
from __future__ import annotations

from typing import Any

from workflows.appeals.models import Incident
from workflows.appeals.suspected import incident_buildings, incident_of
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.outages.service import check_registration, create_outage
from workflows.runtime.models import ProcessInstance
from workflows.runtime.operations import ServiceCall


def _outage_payload(incident: Incident, data: dict[str, Any]) -> dict[str, Any]:
    chosen = data.get("building_ids")
    building_ids = [b for b in chosen if isinstance(b, int) and not isinstance(b, bool)] \
        if isinstance(chosen, list) and chosen else incident_buildings(incident.id)
    return {"kind": "emergency", "resource": incident.resource, "organization_id": incident.organization_id,
            "starts_at": incident.opened_at.isoformat(), "ends_at": data.get("ends_at"),
            "description": data.get("description") or incident.cause or "", "building_ids": building_ids}


def check_confirmation(task: Any, data: dict[str, Any]) -> dict[str, str]:
    """Before a confirmation runs the process on: would its outage register? (Field errors if not.)"""
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
    incident = incident_of(call)
    if incident.status != "open":
        return {"outage_id": None, "status": incident.status}
    outage = create_outage(_outage_payload(incident, call.data), None)
    return {"outage_id": outage.id, "status": "confirmed"}
