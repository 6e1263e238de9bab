"""Running one step of an existing instance durably (new instances start in starts.py).

A step: lock the instance row, restore its run from the last good state, act on it, then write
the new state and bring the task, timer and message tables in step — all in one transaction.
A step that fails leaves the last good state untouched and marks the instance `error`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from engine import EngineError, ProcessRun
from workflows import clock
from workflows.db import db, is_postgres
from workflows.errors import Conflict, NotFound, ProcessFailed
from workflows.runtime.definitions import spec_cache
from workflows.runtime.failures import FailedInstance, element_of, report, report_recovered
from workflows.runtime.models import InstanceEvent, ProcessInstance
from workflows.runtime.operations import ServiceBridge, StepCause, registered_operations, script_functions
from workflows.runtime.starts import Outcome, error_event_data, error_text, run_new, schedule_timer
from workflows.runtime.sync import insert_waits, sync_waits

log = logging.getLogger(__name__)
Action = Callable[[ProcessRun], None]


def record_event(instance_id: int, kind: str, actor_id: int | None = None, task_name: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    db.session.add(InstanceEvent(instance_id=instance_id, kind=kind, actor_id=actor_id, task_name=task_name,
                                 data=data, at=clock.now()))


def _save(instance: ProcessInstance, run: ProcessRun) -> None:
    instance.state = run.dump()
    instance.status = "completed" if run.completed else "waiting"
    instance.error_message = None
    instance.updated_at = clock.now()
    if run.completed:
        instance.completed_at = clock.now()
        record_event(instance.id, "completed")
    new_timers = sync_waits(instance, run)
    if new_timers:
        # One queue entry per instance, for its earliest new timer (see starts.schedule_timer).
        schedule_timer(instance.id, min(new_timers))
    db.session.flush()


def _save_first_run(instance: ProcessInstance, outcome: Outcome) -> None:
    """Keep the outcome of running an instance that had failed to start again from its initial data."""
    if outcome.error is not None:
        mark_error(instance, outcome.error, initial_data=outcome.data)
        return
    assert outcome.waits is not None  # a run without an error has its waits
    instance.state = outcome.state
    instance.status = outcome.status
    instance.error_message = None
    instance.updated_at = clock.now()
    if outcome.completed:
        instance.completed_at = clock.now()
        record_event(instance.id, "completed")
    insert_waits([(instance.id, outcome.waits)])
    if outcome.waits.timers:
        schedule_timer(instance.id, min(outcome.waits.timer_due_times))
    db.session.flush()


def mark_error(instance: ProcessInstance, err: EngineError, initial_data: dict[str, Any] | None = None) -> None:
    instance.status = "error"
    instance.error_message = error_text(err)
    instance.updated_at = clock.now()
    record_event(instance.id, "error",
                 data=error_event_data(err, initial_data if instance.state is None else None))
    log.warning("instance %s failed: %s", instance.id, err)
    report([FailedInstance(instance.id, instance.process_id, instance.business_key, error_text(err), element_of(err),
                           at_start=instance.state is None)])


def lock_instance(instance_id: int) -> ProcessInstance:
    """Load the instance fresh, holding its row lock on PostgreSQL until the transaction ends."""
    query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
    if is_postgres():
        query = query.with_for_update(of=ProcessInstance)
    instance = db.session.scalar(query.execution_options(populate_existing=True))
    if instance is None:
        raise NotFound(f"нет экземпляра процесса {instance_id}")
    return instance


def restore(instance: ProcessInstance, now: Any, cause: StepCause | None = None) -> ProcessRun:
    spec = spec_cache.get(instance.spec_bundle)
    bridge = ServiceBridge(registered_operations(), instance.id, now, cause=cause)
    assert instance.state is not None
    return ProcessRun.restore(spec, instance.state, bridge, script_functions())


def run_step(instance: ProcessInstance, action: Action, raise_errors: bool = False,
             on_success: Callable[[], None] | None = None, cause: StepCause | None = None) -> bool:
    """Apply `action` to the instance's run and save; on an engine error keep the last good state.

    Returns True when the step succeeded. The caller commits. With `raise_errors`, an engine error
    is recorded (in its own commit) and raised to the caller as well. `on_success` runs inside
    the step's savepoint, before the state is saved (e.g. to log what caused the step). `cause` names the
    person whose action this step is; the operations it calls see it.
    """
    savepoint = db.session.begin_nested()
    try:
        run = restore(instance, clock.now(), cause)
        action(run)
        if on_success is not None:
            on_success()
        _save(instance, run)
        savepoint.commit()
        return True
    except EngineError as err:
        savepoint.rollback()
        mark_error(instance, err)
        if raise_errors:
            commit()
            raise ProcessFailed(f"процесс не смог продолжиться: {err}",
                                {"element_id": getattr(err, "element_id", None)}) from err
        return False


def commit() -> None:
    """Commit, turning a lost optimistic race (another process saved first) into a Conflict."""
    try:
        db.session.commit()
    except StaleDataError as err:
        db.session.rollback()
        raise Conflict("процесс изменился; обновите страницу и попробуйте снова") from err


def retry_instance(instance_id: int, actor_id: int | None = None) -> ProcessInstance:
    """Run an instance in `error` again from its last good state (or from the start)."""
    instance = lock_instance(instance_id)
    if instance.status != "error":
        raise Conflict(f"экземпляр процесса {instance_id} не в ошибке")
    record_event(instance.id, "retried", actor_id)
    if instance.state is None:
        failed = next((e for e in _events(instance.id, "error") if e.data and "initial_data" in e.data), None)
        initial = dict(failed.data["initial_data"]) if failed is not None and failed.data else {}
        spec = spec_cache.get(instance.spec_bundle)
        _save_first_run(instance, run_new(instance.process_id, spec, initial, clock.now(), instance.id))
    else:
        run_step(instance, lambda run: run.advance(clock.now()))
    if instance.status != "error":
        report_recovered(instance.id, instance.business_key, actor_id)
    commit()
    return instance


def _events(instance_id: int, kind: str) -> list[InstanceEvent]:
    return list(db.session.scalars(select(InstanceEvent).where(
        InstanceEvent.instance_id == instance_id, InstanceEvent.kind == kind).order_by(InstanceEvent.id)))


def history(instance_id: int) -> list[InstanceEvent]:
    return list(db.session.scalars(
        select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.id)))
