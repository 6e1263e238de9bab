"""Taking and handing out tasks, written into the appeal's history so colleagues see who holds what."""
from __future__ import annotations

from typing import Any

from workflows.accounts.models import User
from workflows.appeals.history import add_event
from workflows.db import db
from workflows.registry.models import Organization
from workflows.runtime import tasks
from workflows.runtime.models import HumanTask


def claim(task_id: int, user: User) -> HumanTask:
    """The user takes the task; the appeal's history says who and when."""

    def record(task: HumanTask) -> None:
        if task.appeal_id is not None:
            add_event(task.appeal_id, "claimed", None, {"task": task.name, "title": task.title}, user.id)

    return tasks.claim_task(task_id, user, before_commit=record)


def assign(task_id: int, user: User, assignee_id: int | None) -> HumanTask:
    """A head hands the task to a colleague (or frees it); the history names both."""

    def record(task: HumanTask, assignee: User | None) -> None:
        if task.appeal_id is None:
            return
        data = {"task": task.name, "title": task.title, "assignee_id": assignee.id if assignee else None,
                "assignee": (assignee.full_name or assignee.login) if assignee else None}
        add_event(task.appeal_id, "reassigned" if assignee else "released", None, data, user.id)

    return tasks.assign_task(task_id, user, assignee_id, before_commit=record)


def organization_errors(task: HumanTask, data: Any) -> dict[str, str]:
    """An organisation chosen in any task's form must exist: a wrong one would stop the process in its service
    task (a form check for every task, see workflows/operations.py)."""
    properties = (task.form or {}).get("properties") or {}
    if not isinstance(data, dict) or "organization_id" not in properties or "organization_id" not in data:
        return {}
    raw = data["organization_id"]
    if isinstance(raw, bool) or not isinstance(raw, int):
        return {}  # the form's schema reports the type
    if not 0 < raw < 2**31 or db.session.get(Organization, raw) is None:
        return {"organization_id": "такой организации нет; выберите организацию из списка"}
    return {}
