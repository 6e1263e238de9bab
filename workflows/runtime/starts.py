"""Starting new instances: run each to its first wait, then write it with a few bulk statements.

A new instance has no rows yet, so nothing is read or locked for it: its run comes first, and the
instance, its events, user tasks, timers and message subscriptions are inserted afterwards — one
statement per table for any number of instances started together, in the caller's transaction.

Operations that service tasks call during a run may write to the database; a savepoint opened at the
first such call takes their writes back if the run then fails. A failed start keeps the instance in
`error` with its initial data, so the thing that started it (an appeal) is never lost; an admin
retries it (instances.retry_instance runs it again from that data).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import SessionTransaction, make_transient_to_detached

from engine import EngineError, ProcessRun
from workflows import clock
from workflows.db import after_commit, db, insert_rows, is_postgres
from workflows.runtime.definitions import LatestBundle, latest_bundle
from workflows.runtime.failures import FailedInstance, element_of, report
from workflows.runtime.models import HumanTask, InstanceEvent, MessageWait, ProcessInstance, TimerWait
from workflows.runtime.operations import ServiceBridge, registered_operations, script_functions
from workflows.runtime.sync import Waits, insert_waits, waits_of
from workflows.services import services

log = logging.getLogger(__name__)


class SavepointOnFirstCall:
    """Opens a savepoint when a run first calls an operation; nothing to take back otherwise."""

    def __init__(self) -> None:
        self.savepoint: SessionTransaction | None = None

    def open(self) -> None:
        self.savepoint = db.session.begin_nested()

    def release(self) -> None:
        if self.savepoint is not None:
            self.savepoint.commit()

    def take_back(self) -> None:
        if self.savepoint is not None:
            self.savepoint.rollback()


@dataclass
class Outcome:
    """One new run: its state and waits, or the error that stopped it."""

    data: dict[str, Any]
    state: dict[str, Any] | None = None
    completed: bool = False
    waits: Waits | None = None
    error: EngineError | None = None

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        return "completed" if self.completed else "waiting"


class StartFailed(Exception):
    """A new run failed, and its caller takes its whole transaction back (start_process(on_failure="raise"))."""

    def __init__(self, error: EngineError) -> None:
        super().__init__(str(error))
        self.error = error


def run_new(process_id: str, spec: Any, data: dict[str, Any], now: datetime,
            instance_id: int | None = None, guard_writes: bool = True) -> Outcome:
    """Run a new instance until it waits and compute its rows.

    On an engine error the operations' writes are taken back (savepoint) and the outcome carries the error;
    without `guard_writes` there is no savepoint and StartFailed is raised for the caller to roll back.
    """
    guard = SavepointOnFirstCall() if guard_writes else None
    bridge = ServiceBridge(registered_operations(), instance_id, now,
                           before_first_call=guard.open if guard is not None else None)
    try:
        run = ProcessRun.start(spec, dict(data), now, bridge, script_functions())
        outcome = Outcome(data, state=run.dump(), completed=run.completed, waits=waits_of(process_id, run))
    except EngineError as err:
        log.warning("a new %s instance failed: %s", process_id, err)
        if guard is None:
            raise StartFailed(err) from err
        guard.take_back()
        return Outcome(data, error=err)
    if guard is not None:
        guard.release()
    return outcome


def start_processes(process_id: str, items: Sequence[dict[str, Any]],
                    business_keys: Sequence[str | None] | None = None, actor_id: int | None = None) -> list[int]:
    """Start one instance per item of initial data, in the caller's transaction (no commit); their ids.

    Every instance is written whatever its run did: a failed start is kept in `error`.
    """
    keys = list(business_keys) if business_keys is not None else [None] * len(items)
    if len(keys) != len(items):
        raise ValueError("one business key per item")
    bundle = latest_bundle(process_id)
    now = clock.now()
    outcomes = [run_new(process_id, bundle.spec, data, now) for data in items]
    return _write(process_id, bundle, outcomes, keys, actor_id, now)


def start_process(process_id: str, data: dict[str, Any], business_key: str | None = None,
                  actor_id: int | None = None, on_failure: Literal["keep", "raise"] = "keep") -> ProcessInstance:
    """Start one instance (see start_processes); the instance, without reading it back.

    `on_failure="keep"`: a savepoint covers what the run's operations write, and a failed start is kept
    in `error`. `on_failure="raise"`: no savepoint — the caller's changes and the operations' are written
    together — and a failed start raises StartFailed: the caller rolls back its transaction, does its own
    work again and records the failure with `record_failed_start`, so nothing it accepted is lost.
    """
    if on_failure not in ("keep", "raise"):
        raise ValueError(f"on_failure is 'keep' or 'raise', not {on_failure!r}")
    bundle = latest_bundle(process_id)
    now = clock.now()
    outcome = run_new(process_id, bundle.spec, data, now, guard_writes=on_failure == "keep")
    return _write_one(process_id, bundle, outcome, business_key, actor_id, now)


def record_failed_start(process_id: str, data: dict[str, Any], error: EngineError, business_key: str | None = None,
                        actor_id: int | None = None) -> ProcessInstance:
    """Write an instance that failed to start (after StartFailed), in `error` with its initial data."""
    bundle = latest_bundle(process_id)
    return _write_one(process_id, bundle, Outcome(data, error=error), business_key, actor_id, clock.now())


def _write_one(process_id: str, bundle: LatestBundle, outcome: Outcome, business_key: str | None,
               actor_id: int | None, now: datetime) -> ProcessInstance:
    (instance_id,) = _write(process_id, bundle, [outcome], [business_key], actor_id, now)
    instance = ProcessInstance(id=instance_id, **_instance_row(process_id, bundle, outcome, business_key, now))
    make_transient_to_detached(instance)  # it is in the database already: attach it as it is there
    db.session.add(instance)
    return instance


_WRITTEN_TABLES = (ProcessInstance.__table__, InstanceEvent.__table__, HumanTask.__table__, TimerWait.__table__,
                   MessageWait.__table__)
# by name: the referenced models need not be imported yet
_REFERENCED_TABLES = {key.target_fullname.split(".")[0] for table in _WRITTEN_TABLES for key in table.foreign_keys}


def _flush_what_new_rows_reference() -> None:
    """Flush the caller's pending changes only if our rows may reference one of its new objects.

    Otherwise they wait for the caller's own flush: an appeal's row is then updated once, with everything
    its operations changed and the instance id, instead of once before these inserts and once after.
    """
    if any(getattr(getattr(obj, "__table__", None), "name", None) in _REFERENCED_TABLES for obj in db.session.new):
        db.session.flush()


def _write(process_id: str, bundle: LatestBundle, outcomes: Sequence[Outcome], keys: Sequence[str | None],
           actor_id: int | None, now: datetime) -> list[int]:
    _flush_what_new_rows_reference()
    with db.session.no_autoflush:
        ids = _insert_instances(process_id, bundle, outcomes, keys, now)
        started = list(zip(ids, outcomes, strict=True))
        _insert_events(bundle, started, actor_id, now)
        insert_waits((instance_id, outcome.waits) for instance_id, outcome in started if outcome.waits is not None)
    report([FailedInstance(instance_id, process_id, key, error_text(outcome.error), element_of(outcome.error), True)
            for (instance_id, outcome), key in zip(started, keys, strict=True) if outcome.error is not None])
    for instance_id, outcome in started:
        if outcome.waits is not None and outcome.waits.timers:
            # One queue entry per instance, for its earliest timer: firing it schedules the next one,
            # and the sweep catches anything a lost entry would miss.
            schedule_timer(instance_id, min(outcome.waits.timer_due_times))
    return ids


def _instance_row(process_id: str, bundle: LatestBundle, outcome: Outcome, business_key: str | None,
                  now: datetime) -> dict[str, Any]:
    return {
        "process_id": process_id, "spec_bundle_id": bundle.id, "business_key": business_key,
        "status": outcome.status, "state": outcome.state, "lock_version": 1,
        "error_message": error_text(outcome.error) if outcome.error is not None else None,
        "created_at": now, "updated_at": now, "completed_at": now if outcome.completed else None,
    }


def _insert_instances(process_id: str, bundle: LatestBundle, outcomes: Sequence[Outcome],
                      keys: Sequence[str | None], now: datetime) -> list[int]:
    rows = [_instance_row(process_id, bundle, outcome, key, now) for outcome, key in zip(outcomes, keys, strict=True)]
    if len(rows) == 1:
        table = ProcessInstance.__table__  # Core: no ORM bulk-insert machinery for one row
        return [db.session.execute(table.insert().returning(table.c.id), rows[0]).scalar_one()]
    ids = _next_instance_ids(len(rows))
    insert_rows(ProcessInstance.__table__, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def _next_instance_ids(count: int) -> list[int]:
    """Ids for `count` new instances, taken before they are inserted."""
    if is_postgres():
        sequence = func.pg_get_serial_sequence(ProcessInstance.__tablename__, "id")
        return list(db.session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, count))))
    # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so the next ids are the ones SQLite
    # itself would give: max + 1 onwards.
    first = (db.session.scalar(select(func.max(ProcessInstance.id))) or 0) + 1
    return list(range(first, first + count))


def error_text(error: EngineError) -> str:
    """An engine error as kept on the instance and in its event log."""
    return str(error)[:2000]


def error_event_data(error: EngineError, initial_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `error` event's data: the message, and for a failed start the initial data a retry runs from."""
    data: dict[str, Any] = {"message": error_text(error)}
    if initial_data is not None:
        data["initial_data"] = json.loads(json.dumps(initial_data, default=str))
    return data


def _insert_events(bundle: LatestBundle, started: Sequence[tuple[int, Outcome]], actor_id: int | None,
                   now: datetime) -> None:
    rows: list[dict[str, Any]] = []
    for instance_id, outcome in started:
        base = {"instance_id": instance_id, "at": now, "actor_id": None, "task_name": None}
        rows.append({**base, "kind": "started", "actor_id": actor_id, "data": {"version": bundle.version}})
        if outcome.error is not None:
            rows.append({**base, "kind": "error", "data": error_event_data(outcome.error, outcome.data)})
        elif outcome.completed:
            rows.append({**base, "kind": "completed", "data": None})
    insert_rows(InstanceEvent.__table__, rows)


def schedule_timer(instance_id: int, due_at: datetime) -> None:
    """Ask the queue to fire the instance's timers at `due_at`, once the current transaction commits."""
    after_commit(db.session, partial(_queue_timer, instance_id, due_at))


def _queue_timer(instance_id: int, due_at: datetime) -> None:
    services().scheduler.timer_due(instance_id, due_at)
