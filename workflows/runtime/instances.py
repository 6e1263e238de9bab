"""Starting instances and running one step of an instance durably.

A step: lock the instance row, restore its run from the last good state, act on it, then write
the new state and bring the task, timer and message tables in step — all in one transaction.
A step that fails leaves the last good state untouched and marks the instance `error`.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from engine import EngineError, ProcessRun
from workflows import clock
from workflows.db import after_commit, db, is_postgres
from workflows.errors import Conflict, NotFound, ProcessFailed
from workflows.runtime.definitions import spec_bundle_for, spec_cache
from workflows.runtime.models import InstanceEvent, ProcessInstance
from workflows.runtime.operations import Operation, ServiceBridge
from workflows.runtime.sync import sync_waits

log = logging.getLogger(__name__)
Action = Callable[[ProcessRun], None]


def _operations() -> Mapping[str, Operation]:
    return current_app.extensions.get("otklik.operations", {})


def _functions() -> Mapping[str, Callable[..., Any]]:
    return current_app.extensions.get("otklik.script_functions", {})


def record_event(instance_id: int, kind: str, actor_id: int | None = None, task_name: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    db.session.add(InstanceEvent(instance_id=instance_id, kind=kind, actor_id=actor_id, task_name=task_name,
                                 data=data, at=clock.now()))


def start_process(process_id: str, data: dict[str, Any], business_key: str | None = None,
                  actor_id: int | None = None) -> ProcessInstance:
    """Create and run an instance up to its first wait, in the caller's transaction (no commit).

    If the diagram fails while starting, the instance is kept in `error` with no state, so the
    thing that started it (an appeal) is never lost; an admin retries it.
    """
    bundle = spec_bundle_for(process_id)
    instance = ProcessInstance(process_id=process_id, spec_bundle_id=bundle.id, business_key=business_key,
                               status="running", created_at=clock.now(), updated_at=clock.now())
    instance.spec_bundle = bundle
    db.session.add(instance)
    db.session.flush()
    record_event(instance.id, "started", actor_id, data={"version": bundle.process_version.version})
    _run_fresh(instance, data)
    return instance


def _run_fresh(instance: ProcessInstance, data: dict[str, Any]) -> None:
    now = clock.now()
    spec = spec_cache.get(instance.spec_bundle)
    bridge = ServiceBridge(_operations(), instance.id, now)
    savepoint = db.session.begin_nested()
    try:
        run = ProcessRun.start(spec, dict(data), now, bridge, _functions())
        _save(instance, run, fresh=True)
        savepoint.commit()
    except EngineError as err:
        savepoint.rollback()
        _mark_error(instance, err, initial_data=data)


def _save(instance: ProcessInstance, run: ProcessRun, fresh: bool = False) -> None:
    instance.state = run.dump()
    instance.status = "completed" if run.completed else "waiting"
    instance.error_message = None
    instance.updated_at = clock.now()
    if run.completed:
        instance.completed_at = clock.now()
        record_event(instance.id, "completed")
    new_timers = sync_waits(instance, run, fresh)
    if new_timers:
        # One queue entry per instance, for its earliest new timer: firing it schedules the next one,
        # and the sweep catches anything a lost entry would miss.
        after_commit(db.session, partial(_schedule_timer, instance.id, min(new_timers)))
    db.session.flush()


def schedule_timer(instance_id: int, due_at: Any) -> None:
    """Ask the queue to fire the instance's timers at `due_at` (after the current commit)."""
    after_commit(db.session, partial(_schedule_timer, instance_id, due_at))


def _schedule_timer(instance_id: int, due_at: Any) -> None:
    scheduler = current_app.extensions.get("otklik.scheduler")
    if scheduler is not None:
        scheduler.timer_due(instance_id, due_at)


def _mark_error(instance: ProcessInstance, err: EngineError, initial_data: dict[str, Any] | None = None) -> None:
    instance.status = "error"
    instance.error_message = str(err)[:2000]
    instance.updated_at = clock.now()
    payload: dict[str, Any] = {"message": str(err)[:2000]}
    if initial_data is not None and instance.state is None:
        payload["initial_data"] = json.loads(json.dumps(initial_data, default=str))
    record_event(instance.id, "error", data=payload)
    log.warning("instance %s failed: %s", instance.id, err)


def lock_instance(instance_id: int) -> ProcessInstance:
    """Load the instance fresh, holding its row lock on PostgreSQL until the transaction ends."""
    query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
    if is_postgres():
        query = query.with_for_update(of=ProcessInstance)
    instance = db.session.scalar(query.execution_options(populate_existing=True))
    if instance is None:
        raise NotFound(f"no process instance {instance_id}")
    return instance


def restore(instance: ProcessInstance, now: Any) -> ProcessRun:
    spec = spec_cache.get(instance.spec_bundle)
    bridge = ServiceBridge(_operations(), instance.id, now)
    assert instance.state is not None
    return ProcessRun.restore(spec, instance.state, bridge, _functions())


def run_step(instance: ProcessInstance, action: Action, raise_errors: bool = False,
             on_success: Callable[[], None] | None = None) -> bool:
    """Apply `action` to the instance's run and save; on an engine error keep the last good state.

    Returns True when the step succeeded. The caller commits. With `raise_errors`, an engine error
    is recorded (in its own commit) and raised to the caller as well. `on_success` runs inside
    the step's savepoint, before the state is saved (e.g. to log what caused the step).
    """
    savepoint = db.session.begin_nested()
    try:
        run = restore(instance, clock.now())
        action(run)
        if on_success is not None:
            on_success()
        _save(instance, run)
        savepoint.commit()
        return True
    except EngineError as err:
        savepoint.rollback()
        _mark_error(instance, err)
        if raise_errors:
            commit()
            raise ProcessFailed(f"the process could not continue: {err}",
                                {"element_id": getattr(err, "element_id", None)}) from err
        return False


def commit() -> None:
    """Commit, turning a lost optimistic race (another process saved first) into a Conflict."""
    try:
        db.session.commit()
    except StaleDataError as err:
        db.session.rollback()
        raise Conflict("the process changed meanwhile; reload and try again") from err


def retry_instance(instance_id: int, actor_id: int | None = None) -> ProcessInstance:
    """Run an instance in `error` again from its last good state (or from the start)."""
    instance = lock_instance(instance_id)
    if instance.status != "error":
        raise Conflict(f"instance {instance_id} is not in error")
    record_event(instance.id, "retried", actor_id)
    if instance.state is None:
        started = next((e for e in _events(instance.id, "error") if e.data and "initial_data" in e.data), None)
        _run_fresh(instance, dict(started.data["initial_data"]) if started and started.data else {})
    else:
        run_step(instance, lambda run: run.advance(clock.now()))
    commit()
    return instance


def _events(instance_id: int, kind: str) -> list[InstanceEvent]:
    return list(db.session.scalars(select(InstanceEvent).where(
        InstanceEvent.instance_id == instance_id, InstanceEvent.kind == kind).order_by(InstanceEvent.id)))


def history(instance_id: int) -> list[InstanceEvent]:
    return list(db.session.scalars(
        select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.id)))
