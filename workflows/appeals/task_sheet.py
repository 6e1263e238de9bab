"""Everything a person needs to decide a task in one place: the appeal, its deadlines and history, the
building's open incidents and outages, the responsible organisation's contacts, who holds the task."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals import queries
from workflows.appeals.models import Appeal, AppealEvent, Incident, actor_ref
from workflows.db import db
from workflows.errors import NotFound
from workflows.registry.models import Organization
from workflows.runtime import tasks
from workflows.runtime.models import HumanTask
from workflows.services import services


@dataclass
class TaskSheet:
    task: HumanTask
    appeal: Appeal | None
    personal: bool
    history: list[AppealEvent] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    outages: list[Any] = field(default_factory=list)  # workflows.outages.models.Outage
    holder: User | None = None
    can_act: bool = False
    may_assign: bool = False
    colleagues: list[User] = field(default_factory=list)

    @property
    def organization(self) -> Organization | None:
        if self.appeal is not None and self.appeal.organization is not None:
            return self.appeal.organization
        return db.session.get(Organization, self.task.organization_id) if self.task.organization_id else None


def building_incidents(building_id: int | None) -> list[Incident]:
    if building_id is None:
        return []
    return list(db.session.scalars(select(Incident).where(Incident.building_id == building_id,
                                                          Incident.status == "open").order_by(Incident.id)))


def building_outages(building_id: int | None) -> list[Any]:
    return services().outages.building_live_outages(building_id)


def task_sheet(task_id: int, user: User) -> TaskSheet:
    """The task with its appeal as far as the user may see it (404 for a task the user may not see)."""
    task = tasks.get_task(task_id, user)
    appeal = db.session.get(Appeal, task.appeal_id) if task.appeal_id is not None else None
    if appeal is not None and db.session.scalar(queries.scoped(user).where(Appeal.id == appeal.id)) is None:
        raise NotFound(f"нет задачи {task_id}")
    may_assign = task.status == "open" and tasks.may_assign(user, task)
    sheet = TaskSheet(task=task, appeal=appeal, personal=appeal is not None and queries.may_see_personal(user, appeal),
                      holder=db.session.get(User, task.assignee_id) if task.assignee_id else None,
                      can_act=tasks.can_act(user, task), may_assign=may_assign,
                      colleagues=tasks.assignable_users(task) if may_assign else [])
    if appeal is not None:
        sheet.history = queries.history(appeal.id)
        sheet.incidents = building_incidents(appeal.building_id)
        sheet.outages = building_outages(appeal.building_id)
    return sheet


def _outage_dict(outage: Any) -> dict[str, Any]:
    return {"id": outage.id, "kind": outage.kind, "resource": outage.resource, "status": outage.status,
            "current": outage.starts_at <= clock.now(), "starts_at": outage.starts_at.isoformat(),
            "ends_at": outage.ends_at.isoformat(), "description": outage.description,
            "organization": outage.organization.ref()}


def sheet_to_dict(sheet: TaskSheet) -> dict[str, Any]:
    """The API's task: the task itself, who holds it, and the appeal summary the screen shows."""
    body = sheet.task.to_dict()
    body["held_by"] = actor_ref(sheet.holder)  # `assignee` stays the user id, as in the task list
    body["claimed_at"] = sheet.task.claimed_at.isoformat() if sheet.task.claimed_at else None
    org = sheet.organization
    body["organization"] = {"id": org.id, "name": org.name, "kind": org.kind, "phone": org.phone} if org else None
    if sheet.appeal is None:
        body["appeal"] = None
        return body
    appeal = queries.appeal_to_dict(sheet.appeal, with_personal=sheet.personal)
    appeal["history"] = [e.to_dict() for e in sheet.history]
    appeal["building"] = {"id": sheet.appeal.building_id, "address": sheet.appeal.address_text,
                          "open_incidents": [i.to_dict() for i in sheet.incidents],
                          "outages": [_outage_dict(o) for o in sheet.outages]}
    body["appeal"] = appeal
    return body
