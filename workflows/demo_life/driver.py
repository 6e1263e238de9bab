"""Acting on appeals the way people do, through the same services the screens and the API call."""
from __future__ import annotations

from typing import Any

from workflows.accounts.models import User
from workflows.appeals.answers import confirm_resolution
from workflows.appeals.intake import register_appeal
from workflows.db import db
from workflows.errors import WorkflowsError
from workflows.runtime.tasks import complete_task, list_tasks


class DriveError(WorkflowsError):
    """The appeal was not where the script expected it (no such open task)."""

    code = "demo_drive"


def register(actor: User | None, **payload: Any) -> int:
    """Register an appeal as `actor`; returns its id."""
    appeal_id = register_appeal(payload, actor).appeal.id
    db.session.commit()  # the script stands for a request: it commits, register_appeal only flushes
    return int(appeal_id)


def open_task_id(user: User, appeal_id: int, name: str) -> int | None:
    tasks = list_tasks(user, {"appeal_id": appeal_id, "name": name}, limit=1)
    return tasks[0].id if tasks else None


def act(user: User, appeal_id: int, name: str, **data: Any) -> None:
    """Complete the appeal's open task `name` (accept, resolve, reroute, escalation) as `user`."""
    task_id = open_task_id(user, appeal_id, name)
    if task_id is None:
        raise DriveError(f"у обращения {appeal_id} нет открытой задачи {name}")
    complete_task(task_id, user, data)


def accept(user: User, appeal_id: int, comment: str = "Принято в работу") -> None:
    act(user, appeal_id, "accept", decision="accept", comment=comment)


def resolve(user: User, appeal_id: int, comment: str = "Устранено") -> None:
    act(user, appeal_id, "resolve", result="resolved", comment=comment)


def answer(appeal_id: int, fixed: bool) -> None:
    """The resident's verdict on the result."""
    confirm_resolution(appeal_id, "fixed" if fixed else "not_fixed")
