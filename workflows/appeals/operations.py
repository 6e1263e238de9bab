"""Operations the appeal diagram's service tasks call; each acts on the appeal named in the data."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from engine import OperationInterface
from workflows import clock
from workflows.appeals import incidents, network
from workflows.appeals.deadlines import due_after, reminder_at
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal, Incident
from workflows.appeals.notify import notify_applicant
from workflows.appeals.queries import appeal_to_dict
from workflows.appeals.routing import responsible_organization
from workflows.appeals.signals import signal_incident
from workflows.db import db
from workflows.errors import NotFound
from workflows.integrations.events import emit_appeal_event
from workflows.registry.models import Organization
from workflows.runtime.operations import Operation, ServiceCall


def _appeal(call: ServiceCall) -> Appeal:
    appeal = db.session.get(Appeal, int(call.data["appeal_id"]))
    if appeal is None:
        raise NotFound(f"нет обращения {call.data.get('appeal_id')}")
    return appeal


def _event(call: ServiceCall, kind: str, text: str | None = None, data: dict[str, Any] | None = None,
           with_form: bool = False) -> None:
    """A history entry for this step: the person who caused it (null for the system's own steps) and,
    for the step that follows a task, what they submitted in its form."""
    details = dict(data or {})
    if with_form and call.cause is not None:
        details["task"], details["form"] = call.cause.task_name, call.cause.form
    add_event(int(call.data["appeal_id"]), kind, text, details or None, call.actor_id)


def _comment(call: ServiceCall) -> str | None:
    comment = call.data.get("comment")
    return str(comment) if comment else None


def appeal_cause(call: ServiceCall) -> bool:
    """Is the cause already known — a registered outage or a suspected network fault at the building?

    A resident who answers "still not fixed" after an outage's restoration reopens it as the supplier's.
    """
    appeal = _appeal(call)
    previous = appeal.incident
    if previous is not None and previous.kind == "outage" and appeal.status == "reopened":
        return True
    return incidents.cause_known(appeal.building_id, appeal.category)


def _manual(call: ServiceCall) -> dict[str, Any]:
    """The organisation and deadlines a dispatcher chose by hand for a failed appeal (workflows/failures)."""
    manual = call.data.get("manual")
    return manual if isinstance(manual, dict) else {}


def route_appeal(call: ServiceCall) -> dict[str, Any]:
    appeal = _appeal(call)
    kind = str(call.params.get("responsible_kind") or "cgds")
    chosen = _manual(call).get("organization_id")
    organization = (db.session.get(Organization, int(chosen)) if chosen
                    else responsible_organization(appeal.building, appeal.category, kind))
    detection = incidents.Detection.from_params(call.params.get("min_buildings"), call.params.get("window_minutes"))
    incident, joined = network.attach(appeal, organization.id if organization else None, detection)
    if joined and incident is not None:
        appeal.status = "joined"
        add_event(appeal.id, "joined_incident", None, {"incident_id": incident.id, "kind": incident.kind,
                                                       "organization_id": incident.organization_id})
        return {"organization_id": incident.organization_id, "joined": True, "incident_id": incident.id}
    add_event(appeal.id, "routed", None, {"responsible_kind": kind,
                                          "organization_id": organization.id if organization else None})
    return {"organization_id": organization.id if organization else None, "joined": False,
            "incident_id": incident.id if incident else None}


def appeal_deadlines(call: ServiceCall) -> dict[str, str]:
    appeal = _appeal(call)
    params = {**call.params, **_manual(call)}
    if _manual(call):
        params["calendar"] = "calendar"
    start, calendar = call.now, str(params.get("calendar") or "calendar")
    # "working" stretches only the resolution (the acceptance day is a calendar day); other calendars hold both
    accept_due = due_after(start, str(params["accept_within"]), "calendar" if calendar == "working" else calendar)
    resolve_due = due_after(start, str(params["resolve_within"]), calendar)
    appeal.accept_due_at, appeal.resolve_due_at, appeal.due_at = accept_due, resolve_due, accept_due
    add_event(appeal.id, "deadlines", None, {"accept_due_at": accept_due.isoformat(),
                                             "resolve_due_at": resolve_due.isoformat(), "calendar": calendar})
    return {"accept_due_at": accept_due.isoformat(), "resolve_due_at": resolve_due.isoformat(),
            "accept_remind_at": reminder_at(start, accept_due).isoformat(),
            "resolve_remind_at": reminder_at(start, resolve_due).isoformat()}


def appeal_assigned(call: ServiceCall) -> None:
    appeal = _appeal(call)
    organization = db.session.get(Organization, int(call.params["organization_id"]))
    if organization is None:
        raise NotFound(f"нет организации {call.params['organization_id']}")
    # both the key (read below) and the object (read by the notice), without a flush and reload
    appeal.organization_id, appeal.organization = organization.id, organization
    appeal.status = "assigned"
    _event(call, "assigned", None, {"organization_id": appeal.organization_id})
    if appeal.incident is not None and appeal.incident.organization_id is None:
        appeal.incident.organization_id = appeal.organization_id
    notify_applicant(appeal, "registered")
    emit_appeal_event("appeal.assigned", appeal, appeal_to_dict)


def appeal_refused(call: ServiceCall) -> int:
    appeal = _appeal(call)
    appeal.refusals += 1
    _event(call, "misrouted", _comment(call), {"organization_id": appeal.organization_id,
                                               "refusals": appeal.refusals}, with_form=True)
    appeal.organization_id, appeal.status = None, "rerouting"
    return appeal.refusals


def appeal_rerouted(call: ServiceCall) -> dict[str, Any]:
    appeal = _appeal(call)
    organization = db.session.get(Organization, int(call.params["organization_id"]))
    if organization is None:
        raise NotFound(f"нет организации {call.params['organization_id']}")
    _event(call, "rerouted", _comment(call), {"organization_id": organization.id}, with_form=True)
    return {"organization_id": organization.id, "joined": False, "incident_id": appeal.incident_id}


def appeal_accepted(call: ServiceCall) -> None:
    appeal = _appeal(call)
    appeal.status, appeal.accepted_at, appeal.due_at = "accepted", call.now, appeal.resolve_due_at
    _event(call, "accepted", _comment(call), {"organization_id": appeal.organization_id}, with_form=True)
    notify_applicant(appeal, "accepted")


def appeal_reminder(call: ServiceCall) -> None:
    appeal = _appeal(call)
    stage = str(call.params.get("stage"))
    add_event(appeal.id, "reminder", None, {"stage": stage, "organization_id": appeal.organization_id})


def appeal_escalated(call: ServiceCall) -> dict[str, Any]:
    appeal = _appeal(call)
    appeal.escalation_level += 1
    roles = "org_head coordinator" if appeal.escalation_level < 2 else "official coordinator"
    add_event(appeal.id, "escalated", None, {"level": appeal.escalation_level, "roles": roles})
    emit_appeal_event("appeal.escalated", appeal, appeal_to_dict)
    # sla.dmn's `escalate_within` (an emergency's escalation is due within the emergency deadline); a table
    # without that output falls back to the time to accept the appeal.
    within = str(call.data.get("escalate_within") or call.data.get("accept_within") or "P1D")
    return {"level": appeal.escalation_level, "roles": roles, "due_at": due_after(call.now, within).isoformat()}


def appeal_note(call: ServiceCall) -> None:
    _appeal(call)  # the appeal must exist
    _event(call, str(call.params.get("kind") or "note"), _comment(call), with_form=True)


def appeal_absorbed(call: ServiceCall) -> dict[str, Any]:
    """The organisation's task closed: a network incident (suspected fault or outage) took the appeal over."""
    appeal = _appeal(call)
    appeal.status = "joined"
    notify_applicant(appeal, "joined_incident")
    return {"organization_id": appeal.organization_id, "joined": True, "incident_id": appeal.incident_id}


def appeal_resolved(call: ServiceCall) -> None:
    appeal = _appeal(call)
    result = str(call.params.get("result") or "resolved")
    appeal.status = "resolved" if result == "resolved" else "closed"
    appeal.resolved_at, appeal.result = call.now, _comment(call) or appeal.result
    photo = call.data.get("photo")
    _event(call, result, _comment(call), {"photo": photo} if isinstance(photo, str) and photo else None,
           with_form=True)
    notify_applicant(appeal, str(call.params.get("template") or result), _comment(call))
    emit_appeal_event("appeal.resolved", appeal, appeal_to_dict)
    incident = appeal.incident
    if incident is not None and incident.primary_appeal_id == appeal.id and incident.status == "open":
        close_incident(incident.id, _comment(call))


def close_incident(incident_id: int, comment: str | None) -> None:
    """Mark the incident resolved; its joined appeals hear it after the commit."""
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.status != "open":
        return
    incident.status, incident.resolved_at = "resolved", clock.now()
    incident.cause = incident.cause or comment
    signal_incident(incident_id)


def appeal_reopened(call: ServiceCall) -> int:
    appeal = _appeal(call)
    appeal.status, appeal.escalation_level = "reopened", appeal.escalation_level + 1
    # the new running deadline; resolve_due_at keeps the original one (evidence of the first breach)
    appeal.due_at = call.now + (appeal.resolve_due_at - appeal.created_at if appeal.resolve_due_at
                                else timedelta(days=1))
    add_event(appeal.id, "reopened", "заявитель сообщил, что проблема не решена",
              {"escalation_level": appeal.escalation_level})
    notify_applicant(appeal, "reopened")
    return appeal.escalation_level


def appeal_closed(call: ServiceCall) -> None:
    appeal = _appeal(call)
    answer = call.data.get("answer")
    appeal.closed_at = call.now
    appeal.status = "closed"
    add_event(appeal.id, "closed", None, {"answer": answer or "no_answer"})


def appeal_callback_done(call: ServiceCall) -> None:
    """The dispatcher called the applicant back (or could not reach them)."""
    _appeal(call)
    reached = call.data.get("reached") == "yes"
    _event(call, "callback_done" if reached else "callback_failed", _comment(call), with_form=True)


def notify(call: ServiceCall) -> None:
    notify_applicant(_appeal(call), str(call.params.get("template")))


def appeal_operations() -> dict[str, Operation]:
    return {
        "appeal_cause": appeal_cause, "appeal_absorbed": appeal_absorbed,
        "route_appeal": route_appeal, "appeal_deadlines": appeal_deadlines, "appeal_assigned": appeal_assigned,
        "appeal_refused": appeal_refused, "appeal_rerouted": appeal_rerouted, "appeal_accepted": appeal_accepted,
        "appeal_reminder": appeal_reminder, "appeal_escalated": appeal_escalated, "appeal_note": appeal_note,
        "appeal_resolved": appeal_resolved, "appeal_reopened": appeal_reopened, "appeal_closed": appeal_closed,
        "notify_applicant": notify, "appeal_callback_done": appeal_callback_done,
    }


def _iface(required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
           result: tuple[str, ...] | None = None, **kinds: str) -> OperationInterface:
    """`kinds`: parameter -> kind of value it must be (checked on every rule of a table that feeds it)."""
    return OperationInterface(frozenset(required), frozenset(optional),
                              frozenset(result) if result is not None else None, kinds)


_ROUTED = ("organization_id", "joined", "incident_id")


def appeal_operation_interfaces() -> dict[str, OperationInterface]:
    """The parameters each operation above takes and the keys it returns: deploys are checked against these."""
    return {
        "appeal_cause": _iface(), "appeal_absorbed": _iface(result=_ROUTED),
        "route_appeal": _iface(optional=("responsible_kind", "min_buildings", "window_minutes"), result=_ROUTED,
                               responsible_kind="organization_kind"),
        "appeal_deadlines": _iface(("accept_within", "resolve_within"), ("calendar",),
                                   ("accept_due_at", "resolve_due_at", "accept_remind_at", "resolve_remind_at"),
                                   accept_within="duration", resolve_within="duration"),
        "appeal_assigned": _iface(("organization_id",)), "appeal_refused": _iface(),
        "appeal_rerouted": _iface(("organization_id",), result=_ROUTED), "appeal_accepted": _iface(),
        "appeal_reminder": _iface(optional=("stage",)),
        "appeal_escalated": _iface(result=("level", "roles", "due_at")),
        "appeal_note": _iface(optional=("kind",)), "appeal_resolved": _iface(optional=("result", "template")),
        "appeal_reopened": _iface(), "appeal_closed": _iface(), "notify_applicant": _iface(("template",)),
    }
