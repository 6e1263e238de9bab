"""What a failed instance was working on (an appeal or an outage) and how that is shown to people."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.outages.models import Outage
from workflows.registry.models import Organization
from workflows.runtime.failures import MANUAL_TASK, FailedInstance
from workflows.runtime.models import HumanTask

MANUAL_STATUS = "manual"  # the appeal needs manual handling (appeal.status is 12 characters at most)
ASSIGNABLE_KINDS = ("uk", "tsj", "rso", "gas_emergency", "cgds")


@dataclass(frozen=True)
class Subject:
    kind: str  # appeal | outage
    id: int


def subject_of(business_key: str | None) -> Subject | None:
    kind, _, raw = (business_key or "").partition(":")
    if kind in ("appeal", "outage") and raw.isdigit():
        return Subject(kind, int(raw))
    return None


def task_title(subject: Subject | None) -> str:
    if subject is None:
        return "Ручная обработка: процесс остановился"
    if subject.kind == "appeal":
        appeal = db.session.get(Appeal, subject.id)
        number = appeal.number if appeal is not None and not appeal.number.startswith("~") else str(subject.id)
        return f"Ручная обработка обращения {number}"
    outage = db.session.get(Outage, subject.id)
    if outage is None:
        return "Ручная обработка отключения"
    return f"Ручная обработка отключения: {outage.summary or outage.resource}"


def mark_failed(subject: Subject | None, failed: FailedInstance, text: str) -> str | None:
    """Show the failure on the subject; a label of it for the alert."""
    if subject is None:
        return None
    if subject.kind == "appeal":
        appeal = db.session.get(Appeal, subject.id)
        if appeal is None:
            return None
        previous = appeal.status
        if previous != MANUAL_STATUS:
            appeal.status = MANUAL_STATUS
            add_event(appeal.id, "manual_handling", text, {"instance_id": failed.instance_id,
                                                          "previous_status": previous})
        return f"обращение {appeal.number}" if not appeal.number.startswith("~") else f"обращение {appeal.id}"
    outage = db.session.get(Outage, subject.id)
    return f"отключение {outage.summary or outage.id}" if outage is not None else None


def restore_status(subject: Subject | None) -> None:
    """After a retry that worked: the status the appeal had before it failed, unless the retry moved it on."""
    if subject is None or subject.kind != "appeal":
        return
    appeal = db.session.get(Appeal, subject.id)
    if appeal is None or appeal.status != MANUAL_STATUS:
        return
    event = db.session.scalar(select(AppealEvent).where(AppealEvent.appeal_id == appeal.id,
                                                        AppealEvent.kind == "manual_handling")
                              .order_by(AppealEvent.id.desc()).limit(1))
    data = event.data if event is not None and isinstance(event.data, dict) else {}
    appeal.status = str(data.get("previous_status") or "registered")


def _organizations() -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Organization).where(Organization.kind.in_(ASSIGNABLE_KINDS))
                              .order_by(Organization.name))
    return [{"const": org.id, "title": org.name} for org in rows]


def manual_form(subject: Subject | None, text: str) -> dict[str, Any]:
    """The task's JSON Schema: retry, or (for an appeal) an organisation and deadlines set by hand."""
    actions: list[dict[str, Any]] = [{"const": "retry", "title": "Повторить: причина устранена"}]
    properties: dict[str, Any] = {}
    if subject is not None and subject.kind == "appeal":
        actions.append({"const": "assign", "title": "Назначить исполнителя и сроки вручную"})
        properties = {
            "organization_id": {"type": "integer", "title": "Организация-исполнитель", "oneOf": _organizations()},
            "accept_within": {"type": "string", "title": "Принять в работу за", "maxLength": 20,
                              "description": "ISO 8601: PT2H — 2 часа, P1D — сутки"},
            "resolve_within": {"type": "string", "title": "Устранить за", "maxLength": 20,
                               "description": "ISO 8601: PT2H — 2 часа, P3D — 3 дня"},
        }
    return {
        "type": "object", "description": text, "required": ["action"],
        "properties": {"action": {"type": "string", "title": "Действие", "oneOf": actions}, **properties,
                       "comment": {"type": "string", "title": "Комментарий", "maxLength": 2000}},
    }



def open_manual_task(appeal_id: int | None = None, outage_id: int | None = None) -> HumanTask | None:
    """The open `manual_handling` task of an appeal or outage, if its process stopped."""
    query = select(HumanTask).where(HumanTask.name == MANUAL_TASK, HumanTask.status == "open")
    if appeal_id is not None:
        query = query.where(HumanTask.appeal_id == appeal_id)
    if outage_id is not None:
        query = query.where(HumanTask.outage_id == outage_id)
    task: HumanTask | None = db.session.scalar(query.order_by(HumanTask.id.desc()).limit(1))
    return task
