"""Keep the user-task, timer and message tables in step with an instance's run."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from engine import EngineError, ProcessRun, UserTaskInfo
from workflows import clock
from workflows.db import db
from workflows.runtime.models import NO_DUE_TIME, HumanTask, MessageWait, ProcessInstance, TimerWait


def correlation_key(correlation: dict[str, Any]) -> str:
    """Canonical text of correlation values, the index key of a message subscription."""
    return json.dumps(correlation, sort_keys=True, default=str, ensure_ascii=False)


def sync_waits(instance: ProcessInstance, run: ProcessRun, fresh: bool = False) -> list[datetime]:
    """Bring tables in step; return the due times of timers that were not waiting before.

    A `fresh` instance has no rows yet, so nothing is read or deleted first.
    """
    _sync_user_tasks(instance, run, fresh)
    new_timers = _sync_timers(instance, run, fresh)
    _sync_messages(instance, run, fresh)
    return new_timers


def _sync_user_tasks(instance: ProcessInstance, run: ProcessRun, fresh: bool) -> None:
    ready = {t.task_id: t for t in run.user_tasks()}
    open_rows = [] if fresh else db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).all()
    known = set()
    for row in open_rows:
        known.add(row.task_uuid)
        if row.task_uuid not in ready:
            row.status = "cancelled"  # interrupted by a boundary event or the process moved on
            row.completed_at = clock.now()
    for task_id, info in ready.items():
        if task_id not in known:
            db.session.add(_new_human_task(instance, run, info))


def _evaluate(run: ProcessRun, info: UserTaskInfo, prop: str) -> Any:
    expression = info.properties.get(prop)
    if not expression:
        return None
    return run.evaluate(info.task_id, expression)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise EngineError(f"dueAt must give an aware datetime or ISO 8601 text, got {value!r}")
    return value


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as err:
        raise EngineError(f"expected an id, got {value!r}") from err


def _new_human_task(instance: ProcessInstance, run: ProcessRun, info: UserTaskInfo) -> HumanTask:
    data = run.data
    # A `roles` property (an expression) overrides the lane: e.g. a second refusal goes to the coordinator.
    chosen = _evaluate(run, info, "roles") or info.lane or ""
    roles = " ".join(str(chosen).replace(",", " ").split())
    due_at = _as_datetime(_evaluate(run, info, "dueAt"))
    return HumanTask(
        instance_id=instance.id, task_uuid=info.task_id, process_id=instance.process_id, name=info.name,
        title=info.title, lane=info.lane, roles=roles,
        organization_id=_as_int(_evaluate(run, info, "organization")),
        due_at=due_at, sort_key=due_at or NO_DUE_TIME, form=info.form or {},
        appeal_id=_as_int(data.get("appeal_id")), outage_id=_as_int(data.get("outage_id")),
        status="open", created_at=clock.now(),
    )


def _sync_timers(instance: ProcessInstance, run: ProcessRun, fresh: bool) -> list[datetime]:
    before: dict[str, datetime] = {}
    if not fresh:
        before = {row.task_uuid: row.due_at for row in db.session.scalars(
            select(TimerWait).where(TimerWait.instance_id == instance.id))}
        db.session.execute(delete(TimerWait).where(TimerWait.instance_id == instance.id))
    new_due = []
    for timer in run.timers():
        db.session.add(TimerWait(instance_id=instance.id, task_uuid=timer.task_id, name=timer.name,
                                 due_at=timer.due_at))
        if before.get(timer.task_id) != timer.due_at:
            new_due.append(timer.due_at)
    return new_due


def _sync_messages(instance: ProcessInstance, run: ProcessRun, fresh: bool) -> None:
    if not fresh:
        db.session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))
    for wait in run.message_waits():
        db.session.add(MessageWait(instance_id=instance.id, task_uuid=wait.task_id, message_name=wait.name,
                                   correlation_key=correlation_key(wait.correlation)))
