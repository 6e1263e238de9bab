"""Every behaviour fixture survives start -> dump -> JSON -> restore -> completion."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest

from engine import ProcessRun
from tests.engine.conftest import T0, StubServices, spec_for


def round_trip(run: ProcessRun, services: StubServices) -> ProcessRun:
    state = json.loads(json.dumps(run.dump()))
    assert "spec" not in state and "subprocess_specs" not in state
    return ProcessRun.restore(run.spec, state, services, {"shout": str.upper})


def finish_user_task_timer(run: ProcessRun) -> None:
    [task] = run.user_tasks()
    run.complete_user_task(task.task_id, {"decision": "accept"}, T0)


def finish_escalation(run: ProcessRun) -> None:
    run.advance(T0 + timedelta(hours=5))
    [task] = run.user_tasks()
    run.complete_user_task(task.task_id, {"comment": "late"}, T0 + timedelta(hours=6))


def finish_call_activity(run: ProcessRun) -> None:
    [task] = run.user_tasks()
    run.complete_user_task(task.task_id, {}, T0)
    run.advance(T0 + timedelta(days=2))


CASES: list[tuple[str, list[str], list[str], dict, Callable[[ProcessRun], object]]] = [
    ("user_task_timer", ["user_task_timer.bpmn"], [], {"accept_within": "PT2H"}, finish_user_task_timer),
    ("user_task_timer", ["user_task_timer.bpmn"], [], {"accept_within": "PT2H"}, finish_escalation),
    ("message_correlation", ["message_correlation.bpmn"], [], {"appeal_id": 1},
     lambda run: run.send_message("resident_confirmation", {"appeal_id": 1, "resident_answer": "yes"}, T0)),
    ("business_rule", ["business_rule.bpmn"], ["routing.dmn", "sla.dmn"],
     {"category": "roof", "emergency": False}, lambda run: run.advance(T0 + timedelta(days=1))),
    ("call_activity", ["call_activity.bpmn", "call_activity_child.bpmn"], [],
     {"notify_until": "2025-01-16T09:00:00+00:00", "representatives": [1]}, finish_call_activity),
    ("service_task", ["service_task.bpmn"], [], {"building_id": 1, "category": "roof"}, lambda run: None),
]


@pytest.mark.parametrize("process_id, bpmn, dmn, data, finish", CASES)
def test_fixture_round_trips_to_completion(
    process_id: str, bpmn: list[str], dmn: list[str], data: dict, finish: Callable[[ProcessRun], object],
) -> None:
    services = StubServices({"routing.find_organization": {"id": 1}})
    run = ProcessRun.start(spec_for(process_id, bpmn, dmn), data, T0, services, {"shout": str.upper})
    restored = round_trip(run, services)
    assert restored.describe() == run.describe()
    finish(restored)
    restored = round_trip(restored, services)
    assert restored.completed


def test_aware_datetimes_dates_and_decimals_in_data_survive(services: StubServices) -> None:
    spec = spec_for("user_task_timer", ["user_task_timer.bpmn"])
    data = {"accept_within": "PT2H", "at": T0, "day": T0.date(), "amount": Decimal("12.50")}
    restored = round_trip(ProcessRun.start(spec, data, T0, services), services)
    [task] = restored.user_tasks()
    assert restored.evaluate(task.task_id, "at") == T0
    assert restored.evaluate(task.task_id, "day") == T0.date()
    assert restored.evaluate(task.task_id, "amount") == Decimal("12.50")


def test_restore_leaves_the_callers_state_untouched(services: StubServices) -> None:
    spec = spec_for("call_activity", ["call_activity.bpmn", "call_activity_child.bpmn"])
    run = ProcessRun.start(spec, {"notify_until": T0.isoformat(), "representatives": []}, T0, services)
    state = json.loads(json.dumps(run.dump()))
    snapshot = json.dumps(state, sort_keys=True)
    ProcessRun.restore(spec, state, services)
    assert json.dumps(state, sort_keys=True) == snapshot
