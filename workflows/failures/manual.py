"""Acting on a `manual_handling` task: retry the failed step, or (an appeal) assign by hand under a fresh instance."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.deadlines import parse_duration
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import Conflict, ProcessFailed, ValidationFailed
from workflows.failures.subjects import restore_status, subject_of
from workflows.failures.texts import in_words
from workflows.registry.models import Organization
from workflows.runtime.failures import MANUAL_TASK
from workflows.runtime.instances import commit, lock_instance, record_event, restore, retry_instance
from workflows.runtime.models import HumanTask, InstanceEvent, MessageWait, ProcessInstance, TimerWait
from workflows.runtime.starts import start_process


def complete_manual(task: HumanTask, user: User, data: dict[str, Any]) -> HumanTask:
    """Carry out the chosen action; the task closes when the appeal or outage moves on again."""
    action = data.get("action")
    if action == "retry":
        retry(task.instance_id, user.id)
        return task
    if action == "assign":
        return _assign(task, user, data)
    raise ValidationFailed("выберите действие", {"action": "повторить или назначить вручную"})


def retry(instance_id: int, actor_id: int | None) -> ProcessInstance:
    """Run a failed instance again; on success its manual task is closed and the appeal's status restored."""
    try:
        instance = retry_instance(instance_id, actor_id)  # commits; a new failure updates the open manual task
    except Conflict:
        instance = lock_instance(instance_id)  # someone retried it meanwhile
    if instance.status == "error":
        raise ProcessFailed(f"повтор не помог: {in_words(instance.error_message or '')}",
                            {"instance_id": instance_id})
    return instance


def on_recovered(instance_id: int, business_key: str | None, actor_id: int | None) -> None:
    """The runtime's recovery hook: the manual task is done and the appeal's status is what it was."""
    db.session.execute(update(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.name == MANUAL_TASK, HumanTask.status == "open",
    ).values(status="completed", completed_by_id=actor_id, completed_at=clock.now())
        .execution_options(synchronize_session="fetch"))
    restore_status(subject_of(business_key))


def _manual_choice(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    organization_id = data.get("organization_id")
    if not isinstance(organization_id, int) or db.session.get(Organization, organization_id) is None:
        errors["organization_id"] = "выберите организацию"
    for field in ("accept_within", "resolve_within"):
        try:
            parse_duration(str(data.get(field) or ""))
        except ValidationFailed:
            errors[field] = "срок в формате ISO 8601, например PT2H или P1D"
    if errors:
        raise ValidationFailed("проверьте исполнителя и сроки", errors)
    return {"organization_id": organization_id, "accept_within": str(data["accept_within"]).strip(),
            "resolve_within": str(data["resolve_within"]).strip()}


def _initial_data(instance: ProcessInstance) -> dict[str, Any]:
    if instance.state is not None:
        return dict(restore(instance, clock.now()).data)
    event = db.session.scalar(select(InstanceEvent).where(InstanceEvent.instance_id == instance.id,
                                                          InstanceEvent.kind == "error")
                              .order_by(InstanceEvent.id).limit(1))
    return dict((event.data or {}).get("initial_data") or {}) if event is not None else {}


def _retire(instance: ProcessInstance, actor_id: int, replaced_by: int) -> None:
    """The failed instance is replaced: it stops, and nothing of it is left waiting."""
    instance.status, instance.updated_at = "cancelled", clock.now()
    record_event(instance.id, "replaced", actor_id, data={"instance_id": replaced_by})
    db.session.execute(update(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open",
                                               HumanTask.name != MANUAL_TASK)
                       .values(status="cancelled").execution_options(synchronize_session="fetch"))
    db.session.execute(delete(TimerWait).where(TimerWait.instance_id == instance.id))
    db.session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))


def _assign(task: HumanTask, user: User, data: dict[str, Any]) -> HumanTask:
    instance = lock_instance(task.instance_id)
    subject = subject_of(instance.business_key)
    if subject is None or subject.kind != "appeal":
        raise ValidationFailed("назначить вручную можно только обращение", {"action": "только повтор"})
    if instance.status != "error":
        raise Conflict("процесс уже продолжился; обновите страницу")
    choice = _manual_choice(data)
    appeal = db.session.get(Appeal, subject.id)
    if appeal is None:
        raise Conflict("обращение не найдено")
    organization = db.session.get(Organization, choice["organization_id"])
    add_event(appeal.id, "manual_assignment", str(data.get("comment") or "") or None,
              {**choice, "organization": organization.name if organization else None}, user.id)
    fresh = start_process(instance.process_id, {**_initial_data(instance), "manual": choice},
                          instance.business_key, user.id)
    _retire(instance, user.id, fresh.id)
    appeal.instance_id = fresh.id
    task.status, task.completed_by_id, task.completed_at = "completed", user.id, clock.now()
    commit()
    return task
