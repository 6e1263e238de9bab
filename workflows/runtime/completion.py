"""Completing a user task the way starts are done: one read, the run, then one statement per table.

Read: the task row with its instance's state, lock version and spec bundle, in one statement. On
PostgreSQL it locks the instance's and the task's rows (FOR UPDATE OF both), so a concurrent completion
of the same instance waits and then reads the winner's rows — the task closed, the state moved on.
SQLite's transactions hold the write lock from their first statement (BEGIN IMMEDIATE).

Run: the instance's run is restored from that state; what it waited for before the step (user tasks,
timers, message subscriptions) comes from the same state, since those rows are always written with it.

Write: the instance (guarded by its lock version), the task table (close what is no longer ready, insert what
became ready), timers and message subscriptions (only rows that changed) and the event log — one statement
each, none where nothing changed. On PostgreSQL the read (with BEGIN) and the writes (with COMMIT) each take one
round trip, sent by psycopg itself (pg_step.py); elsewhere the statements are Core's, through the session.
A savepoint is opened only when the run calls an operation (operations may write); a failed step takes it back
and keeps the instance in `error` with its last good state. The answer (the closed task) is made before the
commit, so nothing is read again.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol

from psycopg.types.json import Json
from sqlalchemy import Delete, Integer, Table, bindparam, case, or_, select

from engine import EngineError, ProcessRun
from workflows import clock
from workflows.db import db, is_postgres
from workflows.errors import Conflict, ProcessFailed
from workflows.runtime import pg_step
from workflows.runtime.definitions import spec_cache
from workflows.runtime.instances import commit, lock_instance, mark_error
from workflows.runtime.models import HumanTask, InstanceEvent, MessageWait, ProcessInstance, SpecBundle, TimerWait
from workflows.runtime.operations import ServiceBridge, StepCause, registered_operations, script_functions
from workflows.runtime.starts import SavepointOnFirstCall, schedule_timer
from workflows.runtime.sync import Waits, correlation_key, waits_of

_TASK: Table = HumanTask.__table__
_INSTANCE: Table = ProcessInstance.__table__
_BUNDLE: Table = SpecBundle.__table__
_EVENT: Table = InstanceEvent.__table__
_TIMER: Table = TimerWait.__table__
_MESSAGE: Table = MessageWait.__table__


@dataclass(frozen=True)
class Loaded:
    """A task row and what its instance's step needs, as one statement read them."""

    task: HumanTask  # transient: never added to the session, so a commit does not expire it
    state: dict[str, Any] | None
    lock_version: int
    bundle_id: int
    bundle_hash: str


# Built once: a statement made per call costs more in SQLAlchemy than the round trip it makes.
_READ = (select(_TASK, _INSTANCE.c.state, _INSTANCE.c.lock_version, _INSTANCE.c.spec_bundle_id, _BUNDLE.c.bundle_hash)
         .join_from(_TASK, _INSTANCE, _INSTANCE.c.id == _TASK.c.instance_id)
         .join(_BUNDLE, _BUNDLE.c.id == _INSTANCE.c.spec_bundle_id)
         .where(_TASK.c.id == bindparam("b_task")))
_TASK_KEYS = tuple(column.key for column in _TASK.c)
_READ_LOCKED = _READ.with_for_update(of=[_INSTANCE, _TASK])
_READ_COLUMNS = tuple(_READ.selected_columns)
_SAVE_INSTANCE = _INSTANCE.update().where(_INSTANCE.c.id == bindparam("b_instance"),
                                          _INSTANCE.c.lock_version == bindparam("b_version"))
_THIS_TASK = _TASK.c.id == bindparam("b_task")
_CLOSE_TASKS = _TASK.update().where(
    _TASK.c.instance_id == bindparam("b_instance"), _TASK.c.status == "open",
    or_(_THIS_TASK, _TASK.c.task_uuid.not_in(bindparam("b_ready", expanding=True))),
).values(status=case((_THIS_TASK, "completed"), else_="cancelled"),
         completed_by_id=case((_THIS_TASK, bindparam("b_actor", type_=Integer)), else_=None),
         completed_at=bindparam("b_now", type_=_TASK.c.completed_at.type))
# inline(): a single row is not followed by a fetch of its new id, which a pipeline could not answer
_INSERTS = {table.name: table.insert().inline() for table in (_TASK, _EVENT, _TIMER, _MESSAGE)}


def _delete_waits(table: Table) -> Delete:
    return table.delete().where(table.c.instance_id == bindparam("b_instance"),
                                table.c.task_uuid.in_(bindparam("b_uuids", expanding=True)))


_DELETE_WAITS = {table.name: _delete_waits(table) for table in (_TIMER, _MESSAGE)}


def load(task_id: int) -> Loaded | None:
    """The task and its instance's state in one round trip (both rows locked on PostgreSQL, where BEGIN goes
    with the read); None if no task."""
    if is_postgres():
        row: Sequence[Any] | None = pg_step.read(_READ_LOCKED, _READ_COLUMNS, {"b_task": task_id})
    else:
        row = db.session.execute(_READ, {"b_task": task_id}).first()
    if row is None:
        return None
    width = len(_TASK_KEYS)  # the task's columns come first, in table order
    state, lock_version, bundle_id, bundle_hash = row[width:]
    return Loaded(_as_task(dict(zip(_TASK_KEYS, row[:width], strict=True))), state, lock_version, bundle_id,
                  bundle_hash)


def _as_task(values: dict[str, Any]) -> HumanTask:
    """A transient HumanTask holding a row's values, made without the ORM's events for each attribute set."""
    task: HumanTask = HumanTask.__mapper__.class_manager.new_instance()
    task.__dict__.update(values)
    return task


@dataclass
class _Step:
    """A run after the task was completed, and what it waited for before."""

    run: ProcessRun
    before: Waits
    after: Waits
    state: dict[str, Any]


def complete(loaded: Loaded, actor_id: int, form: dict[str, Any]) -> HumanTask:
    """Complete the loaded (open, permitted, validated) task, write the step and commit; the closed task.

    An engine error keeps the instance's last good state, marks it `error` (committed) and raises ProcessFailed.
    """
    task = loaded.task
    if loaded.state is None:  # an instance that failed to start has no BPMN task to complete
        db.session.rollback()
        raise Conflict("процесс этой задачи не запущен; его нужно повторить")
    now = clock.now()
    guard = SavepointOnFirstCall()
    bridge = ServiceBridge(registered_operations(), task.instance_id, now, before_first_call=guard.open,
                           cause=StepCause(actor_id, task.name, form))
    try:
        step = _run(loaded, bridge, form, now)
    except EngineError as err:
        guard.take_back()
        _fail(task.instance_id, err)
    guard.release()
    _write(loaded, actor_id, form, step, now)
    task.status, task.completed_by_id, task.completed_at = "completed", actor_id, now
    commit()
    return task


def _run(loaded: Loaded, bridge: ServiceBridge, form: dict[str, Any], now: datetime) -> _Step:
    task = loaded.task
    spec = spec_cache.by_hash(loaded.bundle_hash, lambda: _stored_spec(loaded.bundle_id))
    assert loaded.state is not None
    run = ProcessRun.restore(spec, loaded.state, bridge, script_functions())
    before = _waits_before(run)
    run.complete_user_task(task.task_uuid, form, now)
    return _Step(run, before, waits_of(task.process_id, run), run.dump())


def _stored_spec(bundle_id: int) -> dict[str, Any]:
    spec = db.session.scalar(select(_BUNDLE.c.spec).where(_BUNDLE.c.id == bundle_id))
    assert isinstance(spec, dict)  # the instance's bundle, read with it
    return spec


def _waits_before(run: ProcessRun) -> Waits:
    """What the restored run waits for: the rows written with its state (task rows by id only)."""
    return Waits(
        tasks=[{"task_uuid": task_id} for task_id in run.ready_user_task_ids()],
        timers=[{"task_uuid": t.task_id, "name": t.name, "due_at": t.due_at} for t in run.timers()],
        messages=[{"task_uuid": w.task_id, "message_name": w.name, "correlation_key": correlation_key(w.correlation)}
                  for w in run.message_waits()],
    )


def _fail(instance_id: int, err: EngineError) -> NoReturn:
    """Keep the last good state, mark the instance `error` (told to the failure hook), commit, raise."""
    mark_error(lock_instance(instance_id), err)
    commit()
    raise ProcessFailed(f"процесс не смог продолжиться: {err}",
                        {"element_id": getattr(err, "element_id", None)}) from err


def _write(loaded: Loaded, actor_id: int, form: dict[str, Any], step: _Step, now: datetime) -> None:
    """The step's writes: on PostgreSQL with the COMMIT, in one round trip (see pg_step); elsewhere through Core
    in the session's transaction, committed by the caller."""
    if not is_postgres():
        _write_rows(_CoreRows(), loaded, actor_id, form, step, now)
        return
    with pg_step.writes() as writes:
        _write_rows(_PostgresRows(writes), loaded, actor_id, form, step, now)
        writes.commit()


class _Rows(Protocol):
    """Where a step's rows go: the instance, its task table, waits and events."""

    def save_instance(self, values: dict[str, Any]) -> None: ...
    def close_tasks(self, values: dict[str, Any]) -> None: ...
    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None: ...
    def delete_waits(self, table: Table, instance_id: int, task_uuids: list[str]) -> None: ...


class _CoreRows:
    """Core statements through the session (SQLite): the instance guarded by its lock version."""

    def save_instance(self, values: dict[str, Any]) -> None:
        result = db.session.execute(_SAVE_INSTANCE, values)
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()  # another step saved the instance since it was read
            raise Conflict("процесс изменился; обновите страницу и попробуйте снова")

    def close_tasks(self, values: dict[str, Any]) -> None:
        db.session.execute(_CLOSE_TASKS, values)

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """An executemany INSERT: a step opens only a few waits."""
        if rows:
            db.session.execute(_INSERTS[table.name], rows)

    def delete_waits(self, table: Table, instance_id: int, task_uuids: list[str]) -> None:
        db.session.execute(_DELETE_WAITS[table.name], {"b_instance": instance_id, "b_uuids": task_uuids})


# PostgreSQL: the same statements as psycopg text; the rows are locked since the read, so no version guard.
_PG_SAVE_INSTANCE = (
    "UPDATE process_instance SET state = %(state)s, status = %(status)s, error_message = NULL,"
    " updated_at = %(updated_at)s, lock_version = %(lock_version)s,"
    " completed_at = CASE WHEN %(completed)s THEN %(updated_at)s ELSE completed_at END WHERE id = %(b_instance)s")
_PG_CLOSE_TASKS = (
    "UPDATE human_task SET status = CASE WHEN id = %(b_task)s THEN 'completed' ELSE 'cancelled' END,"
    " completed_by_id = CASE WHEN id = %(b_task)s THEN %(b_actor)s::integer END, completed_at = %(b_now)s"
    " WHERE instance_id = %(b_instance)s AND status = 'open'"
    " AND (id = %(b_task)s OR NOT task_uuid = ANY(%(b_ready)s::varchar[]))")
_PG_DELETE_WAITS = "DELETE FROM {} WHERE instance_id = %(b_instance)s AND task_uuid = ANY(%(b_uuids)s::varchar[])"


class _PostgresRows:
    def __init__(self, writes: pg_step.Writes) -> None:
        self.writes = writes

    def save_instance(self, values: dict[str, Any]) -> None:
        self.writes.execute(_PG_SAVE_INSTANCE, {**values, "state": Json(values["state"]),
                                                "completed": "completed_at" in values})

    def close_tasks(self, values: dict[str, Any]) -> None:
        self.writes.execute(_PG_CLOSE_TASKS, values)

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.writes.insert(table, rows)

    def delete_waits(self, table: Table, instance_id: int, task_uuids: list[str]) -> None:
        self.writes.execute(_PG_DELETE_WAITS.format(table.name), {"b_instance": instance_id, "b_uuids": task_uuids})


def _write_rows(rows: _Rows, loaded: Loaded, actor_id: int, form: dict[str, Any], step: _Step,
                now: datetime) -> None:
    task = loaded.task
    instance_id = task.instance_id
    completed = step.run.completed
    values: dict[str, Any] = {"b_instance": instance_id, "b_version": loaded.lock_version, "state": step.state,
                              "status": "completed" if completed else "waiting", "error_message": None,
                              "updated_at": now, "lock_version": loaded.lock_version + 1}
    if completed:
        values["completed_at"] = now
    rows.save_instance(values)
    ready = [row["task_uuid"] for row in step.after.tasks]
    rows.close_tasks({"b_instance": instance_id, "b_task": task.id, "b_ready": ready, "b_actor": actor_id,
                      "b_now": now})
    known = {row["task_uuid"] for row in step.before.tasks}
    rows.insert(_TASK, _owned((row for row in step.after.tasks if row["task_uuid"] not in known), instance_id))
    new_timers = _write_changed(rows, _TIMER, instance_id, step.before.timers, step.after.timers)
    _write_changed(rows, _MESSAGE, instance_id, step.before.messages, step.after.messages)
    events = [{"instance_id": instance_id, "kind": "task_completed", "actor_id": actor_id, "task_name": task.name,
               "data": form, "at": now}]
    if completed:
        events.append({"instance_id": instance_id, "kind": "completed", "actor_id": None, "task_name": None,
                       "data": None, "at": now})
    rows.insert(_EVENT, events)
    if new_timers:
        # One queue entry per instance, for its earliest new timer (see starts.schedule_timer).
        schedule_timer(instance_id, min(row["due_at"] for row in new_timers))


def _owned(rows: Iterable[dict[str, Any]], instance_id: int) -> list[dict[str, Any]]:
    return [{**row, "instance_id": instance_id} for row in rows]


def _write_changed(rows: _Rows, table: Table, instance_id: int, before: Sequence[dict[str, Any]],
                   after: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Delete the rows of waits that ended or changed, insert those that began or changed; the inserted rows."""
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted(row.items()))

    old, new = {key(row) for row in before}, {key(row) for row in after}
    changed = {row["task_uuid"] for row in before if key(row) not in new}
    if changed:
        rows.delete_waits(table, instance_id, sorted(changed))
    inserted = [row for row in after if row["task_uuid"] in changed or key(row) not in old]
    rows.insert(table, _owned(inserted, instance_id))
    return inserted
