"""Completing a user task through the one-read, one-statement-per-table path (workflows/runtime/completion.py)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, select

from tests.conftest import make_app
from tests.workflows.runtime_helpers import deploy_fixture, make_user
from workflows.db import db
from workflows.errors import Conflict, ProcessFailed
from workflows.registry.models import Organization
from workflows.runtime import instances, starts, tasks, timers
from workflows.runtime.messages import correlate_message
from workflows.runtime.models import HumanTask, MessageWait, ProcessInstance, TimerWait
from workflows.runtime.operations import ServiceCall
from workflows.services import services_of


def _note(call: ServiceCall) -> dict[str, Any]:
    """An operation that writes: an organisation named after what the diagram passed."""
    db.session.add(Organization(name=call.params["text"], kind="uk", resources=[]))
    db.session.flush()
    return {"ok": True}


@pytest.fixture
def db_app(any_db_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path, any_db_url)
    services_of(application).operations = {**services_of(application).operations, "note": _note}
    with application.app_context():
        yield application
        db.session.remove()


def _task(instance_id: int, name: str) -> HumanTask:
    return db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.name == name)).one()


def _timers(instance_id: int) -> list[tuple[str, Any]]:
    return [(t.name, t.due_at) for t in db.session.scalars(
        select(TimerWait).where(TimerWait.instance_id == instance_id).order_by(TimerWait.id))]


def _kinds(instance_id: int) -> list[str]:
    return [e.kind for e in instances.history(instance_id)]


def _organisations() -> list[str]:
    return list(db.session.scalars(select(Organization.name).order_by(Organization.id)))


def test_completing_moves_the_deadline_to_the_next_task_then_waits_for_the_answer(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("steps.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance_id = starts.start_process("steps", {"appeal_id": 7}).id
    db.session.commit()
    started = clock.now()
    assert _timers(instance_id) == [("first_deadline", started + timedelta(hours=2))]

    clock.advance(timedelta(minutes=10))
    done = tasks.complete_task(_task(instance_id, "first").id, dispatcher, {"divisor": 4})
    assert (done.name, done.status, done.completed_by_id) == ("first", "completed", dispatcher.id)
    assert done.to_dict()["status"] == "completed"  # made before the commit: nothing to read again

    db.session.expire_all()
    first, second = _task(instance_id, "first"), _task(instance_id, "second")
    assert (first.status, first.completed_by_id, first.completed_at) == ("completed", dispatcher.id, clock.now())
    assert second.status == "open" and second.role_list == ["dispatcher"]
    assert _timers(instance_id) == [("second_deadline", clock.now() + timedelta(hours=4))]
    assert db.session.query(MessageWait).filter_by(instance_id=instance_id).count() == 0
    assert _organisations() == ["делитель 4"]  # the operation's write is kept with the step
    instance = db.session.get(ProcessInstance, instance_id)
    assert (instance.status, instance.lock_version, instance.updated_at) == ("waiting", 2, clock.now())
    events = instances.history(instance_id)
    assert [e.kind for e in events] == ["started", "task_completed"]
    assert (events[1].actor_id, events[1].task_name, events[1].data) == (dispatcher.id, "first", {"divisor": 4})

    tasks.complete_task(second.id, dispatcher, {})
    db.session.expire_all()
    assert _timers(instance_id) == []
    waits = db.session.query(MessageWait).filter_by(instance_id=instance_id).all()
    assert [w.message_name for w in waits] == ["answer"]
    assert correlate_message("answer", {"appeal_id": 8}, {"appeal_id": 8}) == []
    assert correlate_message("answer", {"appeal_id": 7}, {"appeal_id": 7}) == [instance_id]
    db.session.expire_all()
    assert db.session.get(ProcessInstance, instance_id).status == "completed"
    assert db.session.query(MessageWait).filter_by(instance_id=instance_id).count() == 0


def test_the_timer_a_completion_wrote_fires_on_time(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("steps.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance_id = starts.start_process("steps", {"appeal_id": 7}).id
    db.session.commit()
    tasks.complete_task(_task(instance_id, "first").id, dispatcher, {"divisor": 1})
    clock.advance(timedelta(hours=3, minutes=59))
    assert timers.sweep_timers() == 0
    clock.advance(timedelta(minutes=2))
    assert timers.sweep_timers() == 1
    db.session.expire_all()
    assert _task(instance_id, "second").status == "cancelled"
    assert db.session.get(ProcessInstance, instance_id).status == "completed"
    assert _kinds(instance_id) == ["started", "task_completed", "timer_fired", "completed"]


def test_a_task_a_boundary_timer_opened_is_completed_and_ends_the_instance(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("steps.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance_id = starts.start_process("steps", {"appeal_id": 7}).id
    db.session.commit()
    clock.advance(timedelta(hours=2, minutes=1))
    assert timers.sweep_timers() == 1
    db.session.expire_all()
    assert _task(instance_id, "first").status == "cancelled"
    tasks.complete_task(_task(instance_id, "late").id, dispatcher, {})
    db.session.expire_all()
    instance = db.session.get(ProcessInstance, instance_id)
    assert instance.status == "completed" and instance.completed_at == clock.now()
    assert _kinds(instance_id) == ["started", "timer_fired", "task_completed", "completed"]
    assert db.session.query(HumanTask).filter_by(instance_id=instance_id, status="open").count() == 0
    assert _timers(instance_id) == [] and _organisations() == []


def test_a_failing_step_takes_back_what_its_operation_wrote_and_keeps_the_last_good_state(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("steps.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance = starts.start_process("steps", {"appeal_id": 7})
    db.session.commit()
    instance_id, good_state = instance.id, json.dumps(instance.state, sort_keys=True)
    first_id = _task(instance_id, "first").id

    with pytest.raises(ProcessFailed):
        tasks.complete_task(first_id, dispatcher, {"divisor": 0})  # the operation runs, then the script fails
    db.session.expire_all()
    assert _organisations() == []  # the operation's write was taken back with its savepoint
    instance = db.session.get(ProcessInstance, instance_id)
    assert instance.status == "error" and "division" in (instance.error_message or "").lower()
    assert json.dumps(instance.state, sort_keys=True) == good_state
    assert _task(instance_id, "first").status == "open"
    assert _timers(instance_id) == [("first_deadline", clock.now() + timedelta(hours=2))]
    assert _kinds(instance_id) == ["started", "error"]

    tasks.complete_task(first_id, dispatcher, {"divisor": 2})
    db.session.expire_all()
    assert _organisations() == ["делитель 2"]
    assert db.session.get(ProcessInstance, instance_id).status == "waiting"
    assert _task(instance_id, "second").status == "open"
    assert _kinds(instance_id) == ["started", "error", "task_completed"]
    with pytest.raises(Conflict):
        tasks.complete_task(first_id, dispatcher, {"divisor": 2})


def test_ending_the_process_cancels_the_other_open_task(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("race.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance_id = starts.start_process("race", {}).id
    db.session.commit()
    clock.advance(timedelta(minutes=5))
    tasks.complete_task(_task(instance_id, "fast").id, dispatcher, {})
    db.session.expire_all()
    fast, slow = _task(instance_id, "fast"), _task(instance_id, "slow")
    assert (fast.status, fast.completed_by_id) == ("completed", dispatcher.id)
    assert (slow.status, slow.completed_by_id, slow.completed_at) == ("cancelled", None, clock.now())
    assert db.session.get(ProcessInstance, instance_id).status == "completed"
    assert _kinds(instance_id) == ["started", "task_completed", "completed"]
    with pytest.raises(Conflict):
        tasks.complete_task(slow.id, dispatcher, {})


class _Statements:
    """The SQL a block sends, first words only (e.g. "UPDATE human_task")."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, statement: str) -> None:
        words = str(statement).split()
        if words[0] == "SELECT":
            self.seen.append(_select_target(str(statement)))
        elif len(words) > 2:
            target = words[2] if words[0] in ("INSERT", "DELETE") else words[1]
            self.seen.append(f"{words[0]} {target.strip(chr(34))}")
        else:
            self.seen.append(" ".join(words))


def _select_target(statement: str) -> str:
    found = re.search(r"\bFROM\s+(\w+)", statement)
    return f"SELECT {found.group(1)}" if found else "SELECT"


def _statements_of(action: Any) -> list[str]:
    """What reaches the database: on PostgreSQL every statement psycopg's cursors send (the completion talks to
    psycopg directly), elsewhere what SQLAlchemy executes."""
    listener = _Statements()
    if db.engine.dialect.name != "postgresql":
        def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            listener(statement)

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            action()
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)
        return listener.seen
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def seen_execute(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        listener(query)
        return execute(cursor, query, *args, **kwargs)

    def seen_executemany(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        listener(query)
        return executemany(cursor, query, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", seen_execute)
        patch.setattr(psycopg.Cursor, "executemany", seen_executemany)
        action()
    return listener.seen


def test_a_completion_reads_once_writes_once_per_table_and_opens_a_savepoint_only_for_an_operation(
        db_app: Flask) -> None:
    deploy_fixture("race.bpmn", "steps.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    race_id = starts.start_process("race", {}).id
    steps_id = starts.start_process("steps", {"appeal_id": 7}).id
    db.session.commit()
    fast_id, first_id = _task(race_id, "fast").id, _task(steps_id, "first").id
    db.session.refresh(dispatcher)  # the person is loaded, as a request's authentication has them

    plain = _statements_of(lambda: tasks.complete_task(fast_id, dispatcher, {}))
    db.session.refresh(dispatcher)
    assert [s for s in plain if s.startswith("SELECT")] == ["SELECT human_task"]  # joined with its instance
    assert not [s for s in plain if "SAVEPOINT" in s]
    assert sorted(s for s in plain if not s.startswith(("SELECT", "COMMIT"))) == [
        "INSERT instance_event", "UPDATE human_task", "UPDATE process_instance"]

    with_operation = _statements_of(lambda: tasks.complete_task(first_id, dispatcher, {"divisor": 5}))
    assert [s for s in with_operation if s.startswith("SAVEPOINT")] == ["SAVEPOINT sa_savepoint_1"]
    assert sorted(s for s in with_operation if s.split()[0] in ("INSERT", "UPDATE", "DELETE")) == [
        "DELETE timer_wait", "INSERT human_task", "INSERT instance_event", "INSERT organization",
        "INSERT timer_wait", "UPDATE human_task", "UPDATE process_instance"]
