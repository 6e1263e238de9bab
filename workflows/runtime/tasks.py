"""User tasks: who may see and act on them, claiming, completing with form validation."""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from sqlalchemy import Select, or_, select, update

from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workflows.runtime import completion
from workflows.runtime.failures import MANUAL_TASK
from workflows.runtime.form_messages import fields_of, message
from workflows.runtime.instances import commit, record_event
from workflows.runtime.models import HumanTask
from workflows.services import services

# A machine client of an organisation acts as that organisation's staff; a head sees (and may do or hand
# out) the work of the staff.
ROLE_ALIASES = {"integration": ("org_staff",), "org_head": ("org_staff",)}


def _acting_roles(user: User) -> tuple[str, ...]:
    return (user.role, *ROLE_ALIASES.get(user.role, ()))


def can_see(user: User, task: HumanTask) -> bool:
    if user.role in ("admin", "official"):
        return True
    if not set(_acting_roles(user)) & set(task.role_list):
        return False
    if user.role in CITY_WIDE_ROLES:
        return True
    return task.organization_id is not None and task.organization_id == user.organization_id


def can_act(user: User, task: HumanTask) -> bool:
    if user.role == "official" and "official" not in task.role_list:
        return False  # officials read everything but act only on their own escalations
    return can_see(user, task)


def visible_tasks_query(user: User) -> Select[Any]:
    """Open tasks the user may see: emergencies first, then the earliest due; served from indexes."""
    query = select(HumanTask).where(HumanTask.status == "open")
    if user.role not in ("admin", "official"):
        query = query.where(or_(*[HumanTask.roles.like(f"%{role}%") for role in _acting_roles(user)]))
        if user.role not in CITY_WIDE_ROLES:
            query = query.where(HumanTask.organization_id == (user.organization_id or -1))
    return query.order_by(HumanTask.priority, HumanTask.sort_key, HumanTask.id)


def list_tasks(user: User, filters: dict[str, Any] | None = None, limit: int = 200) -> list[HumanTask]:
    query = visible_tasks_query(user)
    for column in ("appeal_id", "outage_id", "name", "process_id"):
        value = (filters or {}).get(column)
        if value not in (None, ""):
            query = query.where(getattr(HumanTask, column) == value)
    return list(db.session.scalars(query.limit(limit)))


def get_task(task_id: int, user: User) -> HumanTask:
    task = db.session.get(HumanTask, task_id)
    if task is None or not can_see(user, task):
        raise NotFound(f"нет задачи {task_id}")
    return task


def claim_task(task_id: int, user: User, before_commit: Callable[[HumanTask], None] | None = None) -> HumanTask:
    """Take an open task; `before_commit` records what else the claim means (in the same transaction)."""
    task = get_task(task_id, user)
    if not can_act(user, task):
        raise Forbidden("эта задача не для вашей роли")
    result = db.session.execute(
        update(HumanTask)
        .where(HumanTask.id == task_id, HumanTask.status == "open",
               or_(HumanTask.assignee_id.is_(None), HumanTask.assignee_id == user.id))
        .values(assignee_id=user.id, claimed_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        task = db.session.get(HumanTask, task_id, populate_existing=True) or task
        raise Conflict("задача уже закрыта" if task.status != "open" else _held_by(task))
    record_event(task.instance_id, "task_claimed", user.id, task.name)
    if before_commit is not None:
        before_commit(task)
    commit()
    db.session.refresh(task)
    return task


EVERY_TASK = "*"  # the form check run for every task


def decision_errors(task: HumanTask, data: dict[str, Any]) -> dict[str, str]:
    """Field errors a task's own check finds before the process runs on (what a schema cannot say, e.g.
    whether the outage a confirmation would register is valid); see workflows/operations.py."""
    checks = services().form_checks
    errors: dict[str, str] = {}
    for key in (EVERY_TASK, f"{task.process_id}:{task.name}"):
        check = checks.get(key)
        if check is not None:
            errors.update(check(task, data))
    return errors


def may_assign(user: User, task: HumanTask) -> bool:
    """Heads hand out their organisation's tasks; the ЦГДС coordinator and admins any task."""
    if user.role in ("coordinator", "admin"):
        return True
    return user.role == "org_head" and task.organization_id is not None \
        and task.organization_id == user.organization_id


def assignable_users(task: HumanTask) -> list[User]:
    """Active people who may act on the task: the choices a head has when handing it out."""
    query = select(User).where(User.active.is_(True), User.role != "integration")
    if task.organization_id is not None:
        query = query.where(User.organization_id == task.organization_id)
    else:
        query = query.where(User.role.in_(task.role_list))
    users = db.session.scalars(query.order_by(User.full_name, User.login).limit(500)).all()
    return [u for u in users if can_act(u, task)]


def assign_task(task_id: int, user: User, assignee_id: int | None,
                before_commit: Callable[[HumanTask, User | None], None] | None = None) -> HumanTask:
    """Give an open task to a colleague (or free it, with None); only a head or the coordinator may."""
    task = get_task(task_id, user)
    if not may_assign(user, task):
        raise Forbidden("назначать исполнителя может руководитель организации или координатор ЦГДС")
    if task.status != "open":
        raise Conflict("задача уже закрыта")
    assignee = db.session.get(User, assignee_id) if assignee_id is not None else None
    if assignee_id is not None and (assignee is None or not assignee.active or not can_act(assignee, task)):
        raise ValidationFailed("этому сотруднику задачу назначить нельзя",
                               {"assignee_id": "выберите сотрудника из списка"})
    task.assignee_id = assignee.id if assignee else None
    task.claimed_at = clock.now() if assignee else None
    record_event(task.instance_id, "task_assigned", user.id, task.name,
                 data={"assignee_id": task.assignee_id})
    if before_commit is not None:
        before_commit(task, assignee)
    commit()
    db.session.refresh(task)
    return task


def _held_by(task: HumanTask) -> str:
    holder = db.session.get(User, task.assignee_id) if task.assignee_id else None
    name = (holder.full_name or holder.login) if holder else "другой сотрудник"
    return f"задачу уже взял {name}"


@lru_cache(maxsize=512)
def _validator(schema: str) -> Draft202012Validator:
    """One validator per form schema (as canonical JSON): making one costs more than validating with it."""
    return Draft202012Validator(json.loads(schema))


def form_errors(form: dict[str, Any], data: Any) -> dict[str, str]:
    """Field → message for data that breaks the task's JSON Schema."""
    if not isinstance(data, dict):
        return {"data": "данные формы должны быть объектом"}
    try:
        validator = _validator(json.dumps(form or {"type": "object"}, sort_keys=True))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    except SchemaError:
        return {}
    result: dict[str, str] = {}
    for error in errors:
        for field in fields_of(error):
            result.setdefault(field, message(error))
    return result


def complete_task(task_id: int, user: User, data: Any) -> HumanTask:
    """Complete an open task: validate against its form, then advance its instance in one transaction.

    The task and its instance are read (and on PostgreSQL locked) in one statement; see completion.py. A refusal
    ends the transaction, so the lock is not held for it. Returns the closed task, made before the commit.
    """
    loaded = completion.load(task_id)
    if loaded is None or not can_see(user, loaded.task):
        db.session.rollback()
        raise NotFound(f"нет задачи {task_id}")
    task = loaded.task
    if not can_act(user, task):
        db.session.rollback()
        raise Forbidden("эта задача не для вашей роли")
    errors = form_errors(task.form, data) or decision_errors(task, data)
    if errors:
        db.session.rollback()
        raise ValidationFailed("в форме есть ошибки", errors)
    if task.name == MANUAL_TASK and task.status == "open":
        held = db.session.get(HumanTask, task_id)
        assert held is not None  # read just now, in this transaction
        return _complete_manual(held, user, dict(data))
    if task.status != "open":
        db.session.rollback()
        raise Conflict("задача уже закрыта")
    if task.assignee_id not in (None, user.id):
        db.session.rollback()
        raise Conflict(_held_by(task))
    return completion.complete(loaded, user.id, dict(data))


def _complete_manual(task: HumanTask, user: User, data: dict[str, Any]) -> HumanTask:
    """A failed instance's task is not a BPMN element: the application's handler acts on it."""
    result: HumanTask = services().manual_task(task, user, data)
    return result
