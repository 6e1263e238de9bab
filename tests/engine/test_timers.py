"""Timers run on the clock the caller passes in, never the wall clock."""

from __future__ import annotations

import json
from datetime import timedelta

from engine import ProcessRun
from tests.engine.conftest import T0, StubServices, single_user_task, spec_for


def start_user_task_timer(services: StubServices) -> ProcessRun:
    spec = spec_for("user_task_timer", ["user_task_timer.bpmn"])
    return ProcessRun.start(spec, {"accept_within": "PT2H"}, T0, services)


def test_boundary_timer_due_time_is_exposed_in_utc(services: StubServices) -> None:
    run = start_user_task_timer(services)
    [timer] = run.timers()
    assert timer.name == "deadline"
    assert timer.due_at == T0 + timedelta(hours=2) and timer.due_at.utcoffset() == timedelta(0)


def test_boundary_timer_does_not_fire_before_its_due_time(services: StubServices) -> None:
    run = start_user_task_timer(services)
    run.advance(T0 + timedelta(hours=1, minutes=59))
    assert [task.name for task in run.user_tasks()] == ["accept"]
    assert len(run.timers()) == 1


def test_boundary_timer_fires_when_advanced_past_due_time(services: StubServices) -> None:
    run = start_user_task_timer(services)
    run.advance(T0 + timedelta(hours=2, seconds=1))
    assert [task.name for task in run.user_tasks()] == ["escalation"]
    assert run.timers() == []


def test_completing_the_task_in_time_cancels_the_timer(services: StubServices) -> None:
    run = start_user_task_timer(services)
    run.complete_user_task(single_user_task(run, "accept"), {"decision": "accept"}, T0 + timedelta(hours=1))
    assert run.completed and run.timers() == []
    assert run.data["accepted_by"] == "accept"


def test_timer_survives_a_dump_and_restore(services: StubServices) -> None:
    run = start_user_task_timer(services)
    state = json.loads(json.dumps(run.dump()))
    restored = ProcessRun.restore(run.spec, state, services)
    assert restored.timers() == run.timers()
    restored.advance(T0 + timedelta(hours=3))
    assert [task.name for task in restored.user_tasks()] == ["escalation"]


def test_time_date_timer_in_a_called_process_uses_the_run_clock(services: StubServices) -> None:
    spec = spec_for("call_activity", ["call_activity.bpmn", "call_activity_child.bpmn"])
    until = (T0 + timedelta(days=1)).isoformat()
    run = ProcessRun.start(spec, {"notify_until": until, "representatives": [1, 2]}, T0, services)
    run.complete_user_task(single_user_task(run, "confirm_sent"), {}, T0)
    [timer] = run.timers()
    assert timer.name == "cool_down" and timer.due_at == T0 + timedelta(days=1)
    run.advance(T0 + timedelta(hours=23))
    assert not run.completed
    run.advance(T0 + timedelta(days=1))
    assert run.completed and run.data["notified"] == 2
