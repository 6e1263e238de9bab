"""Keep the user-task, timer and message tables in step with an instance's run."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from engine import EngineError, ProcessRun, UserTaskInfo
from workflows import clock
from workflows.db import db, insert_rows
from workflows.runtime.models import NO_DUE_TIME, NORMAL, URGENT, HumanTask, MessageWait, ProcessInstance, TimerWait


def correlation_key(correlation: dict[str, Any]) -> str:
    """Canonical text of correlation values, the index key of a message subscription."""
    return json.dumps(correlation, sort_keys=True, default=str, ensure_ascii=False)


@dataclass
class Waits:
    """What a run waits for, as table rows without the instance id (a new instance has none yet)."""

    tasks: list[dict[str, Any]]
    timers: list[dict[str, Any]]
    messages: list[dict[str, Any]]

    @property
    def timer_due_times(self) -> list[datetime]:
        return [row["due_at"] for row in self.timers]


def waits_of(process_id: str, run: ProcessRun) -> Waits:
    """Every wait of the run as rows; evaluating task properties may raise EngineError, nothing is written."""
    return Waits(
        tasks=[_human_task_row(process_id, run, info) for info in run.user_tasks()],
        timers=[{"task_uuid": t.task_id, "name": t.name, "due_at": t.due_at} for t in run.timers()],
        messages=[{"task_uuid": w.task_id, "message_name": w.name, "correlation_key": correlation_key(w.correlation)}
                  for w in run.message_waits()],
    )


def _owned(rows: list[dict[str, Any]], instance_id: int) -> list[dict[str, Any]]:
    return [{**row, "instance_id": instance_id} for row in rows]


def insert_waits(instances: Iterable[tuple[int, Waits]]) -> None:
    """Insert the waits of new instances: one statement per table, however many instances."""
    tasks: list[dict[str, Any]] = []
    timers: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for instance_id, waits in instances:
        tasks += _owned(waits.tasks, instance_id)
        timers += _owned(waits.timers, instance_id)
        messages += _owned(waits.messages, instance_id)
    insert_rows(HumanTask.__table__, tasks)
    insert_rows(TimerWait.__table__, timers)
    insert_rows(MessageWait.__table__, messages)


def sync_waits(instance: ProcessInstance, run: ProcessRun) -> list[datetime]:
    """Bring the tables in step with a run that moved on; return the due times of timers new since."""
    waits = waits_of(instance.process_id, run)
    _sync_user_tasks(instance, waits)
    new_timers = _sync_timers(instance, waits)
    db.session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))
    insert_rows(MessageWait.__table__, _owned(waits.messages, instance.id))
    return new_timers


def _sync_user_tasks(instance: ProcessInstance, waits: Waits) -> None:
    ready = {row["task_uuid"]: row for row in waits.tasks}
    open_rows = db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    ).all()
    known = set()
    for row in open_rows:
        known.add(row.task_uuid)
        if row.task_uuid not in ready:
            row.status = "cancelled"  # interrupted by a boundary event or the process moved on
            row.completed_at = clock.now()
    for task_uuid, values in ready.items():
        if task_uuid not in known:
            db.session.add(HumanTask(instance_id=instance.id, **values))


def _sync_timers(instance: ProcessInstance, waits: Waits) -> list[datetime]:
    before = {row.task_uuid: row.due_at for row in db.session.scalars(
        select(TimerWait).where(TimerWait.instance_id == instance.id))}
    db.session.execute(delete(TimerWait).where(TimerWait.instance_id == instance.id))
    insert_rows(TimerWait.__table__, _owned(waits.timers, instance.id))
    return [row["due_at"] for row in waits.timers if before.get(row["task_uuid"]) != row["due_at"]]


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


def _priority(run: ProcessRun, info: UserTaskInfo) -> int:
    """An `urgent` property (an expression) decides; without one, the instance's `emergency` flag does."""
    urgent = _evaluate(run, info, "urgent") if info.properties.get("urgent") else run.data.get("emergency")
    return URGENT if urgent is True else NORMAL


def _human_task_row(process_id: str, run: ProcessRun, info: UserTaskInfo) -> dict[str, Any]:
    data = run.data
    # A `roles` property (an expression) overrides the lane: e.g. a second refusal goes to the coordinator.
    chosen = _evaluate(run, info, "roles") or info.lane or ""
    roles = " ".join(str(chosen).replace(",", " ").split())
    due_at = _as_datetime(_evaluate(run, info, "dueAt"))
    return {
        "task_uuid": info.task_id, "process_id": process_id, "name": info.name, "title": info.title,
        "lane": info.lane, "roles": roles, "organization_id": _as_int(_evaluate(run, info, "organization")),
        "due_at": due_at, "sort_key": due_at or NO_DUE_TIME, "priority": _priority(run, info),
        "form": info.form or {},
        "appeal_id": _as_int(data.get("appeal_id")), "outage_id": _as_int(data.get("outage_id")),
        "status": "open", "created_at": clock.now(),
    }
