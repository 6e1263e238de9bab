"""Operations the outage diagram's service tasks call; each acts on the outage named in the data."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from engine import OperationInterface
from workflows.db import db
from workflows.errors import NotFound
from workflows.outages import notices
from workflows.outages.checks import recheck, run_checks
from workflows.outages.models import Outage
from workflows.outages.suspected import confirm_suspected
from workflows.runtime.operations import Operation, ServiceCall

REVIEW_WITHIN = timedelta(days=1)
ESCALATION_ANSWER_WITHIN = timedelta(hours=4)
ESCALATION_ROLES = "org_head coordinator"


def _outage(call: ServiceCall) -> Outage:
    outage = db.session.get(Outage, int(call.data["outage_id"]))
    if outage is None:
        raise NotFound(f"no outage {call.data.get('outage_id')}")
    return outage


def outage_check(call: ServiceCall) -> dict[str, Any]:
    """Store the DMN's limits on each building, record violations; the counts steer the diagram."""
    outage = _outage(call)
    # the limits are evaluated per building by workflows.outages.limits (the same table the diagram ran)
    found = run_checks(outage, int(call.params.get("notice_working_days") or 0))
    approve_by = max(call.now, outage.starts_at - timedelta(hours=1))
    return {"violations": len(found), "kinds": [v.kind for v in found],
            "review_due_at": (call.now + REVIEW_WITHIN).isoformat(), "approve_due_at": approve_by.isoformat()}


def outage_status(call: ServiceCall) -> None:
    outage = _outage(call)
    outage.status = str(call.params["status"])
    outage.updated_at = call.now


def _watch(outage: Outage) -> dict[str, str]:
    return {"ends_at": outage.ends_at.isoformat()}


def outage_notify(call: ServiceCall) -> dict[str, str]:
    """Tell the representatives; returns what the diagram watches (the current expected end)."""
    outage = _outage(call)
    notice = str(call.params["notice"])
    if notice == "registered":
        outage.status, outage.updated_at = "announced", call.now
        notices.mark_notified(outage.id)
        notices.send(outage, notice, f"outage:{outage.id}:registered")
    elif notice == "updated":
        notices.send(outage, notice, f"outage:{outage.id}:updated:{outage.revision}")
    elif notice == "reminder":
        if outage.status == "announced" and outage.starts_at > call.now:
            notices.send(outage, notice, f"outage:{outage.id}:reminder")
    elif notice == "restored":
        notices.send(outage, notice, f"outage:{outage.id}:restored")
    return _watch(outage)


def outage_overdue(call: ServiceCall) -> dict[str, Any]:
    """The expected end passed without restoration: "работы продолжаются", and an escalation."""
    outage = _outage(call)
    if outage.restored_at is None:
        outage.overdue_at = call.now
        notices.send(outage, "overdue", f"outage:{outage.id}:overdue:{outage.revision}")
        recheck(outage)  # it lasts longer than announced: judge the duration so far
    return {"roles": ESCALATION_ROLES, "due_at": (call.now + ESCALATION_ANSWER_WITHIN).isoformat(),
            "ends_at": outage.ends_at.isoformat()}


def outage_note(call: ServiceCall) -> None:
    outage = _outage(call)
    kind = str(call.params.get("kind") or "")
    if kind == "violations_reviewed":
        outage.violations_reviewed_at = call.now
    elif kind == "escalation_answered":
        outage.escalation_answered_at = call.now
    outage.updated_at = call.now


def outage_operations() -> dict[str, Operation]:
    return {"outage_check": outage_check, "outage_status": outage_status, "outage_notify": outage_notify,
            "outage_overdue": outage_overdue, "outage_note": outage_note,
            "confirm_suspected_outage": confirm_suspected}


def outage_operation_interfaces() -> dict[str, OperationInterface]:
    """The parameters each operation above takes and the keys it returns: deploys are checked against these."""
    def iface(required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
              result: tuple[str, ...] | None = None) -> OperationInterface:
        return OperationInterface(frozenset(required), frozenset(optional),
                                  frozenset(result) if result is not None else None)

    return {
        "outage_check": iface(optional=("limits", "notice_working_days"),
                              result=("violations", "kinds", "review_due_at", "approve_due_at")),
        "outage_status": iface(("status",)), "outage_notify": iface(("notice",), result=("ends_at",)),
        "outage_overdue": iface(result=("roles", "due_at", "ends_at")), "outage_note": iface(optional=("kind",)),
    }
