"""User tasks expose lane, properties, form and documentation and complete with merged data."""

from __future__ import annotations

import pytest

from engine import EngineError, ProcessRun, ScriptRefused
from tests.engine.conftest import T0, StubServices, single_user_task, spec_for


@pytest.fixture
def run(services: StubServices) -> ProcessRun:
    spec = spec_for("user_task_timer", ["user_task_timer.bpmn"])
    return ProcessRun.start(spec, {"accept_within": "PT2H"}, T0, services)


def test_user_task_info_carries_lane_properties_form_and_documentation(run: ProcessRun) -> None:
    [task] = run.user_tasks()
    assert (task.name, task.title, task.lane) == ("accept", "Accept the appeal", "organisation")
    assert task.form["properties"]["decision"]["enum"] == ["accept", "misrouted"]
    assert task.properties["dueAt"] == "accept_due"
    assert task.documentation == "Take the appeal or say it is misrouted."


def test_runtime_evaluates_task_properties_with_task_data(run: ProcessRun) -> None:
    [task] = run.user_tasks()
    assert run.evaluate(task.task_id, task.properties["dueAt"]) == "2025-01-15T11:00:00+00:00"
    with pytest.raises(ScriptRefused):
        run.evaluate(task.task_id, "__import__('os')")


def test_completing_merges_data_and_runs_post_script(run: ProcessRun) -> None:
    task_id = single_user_task(run, "accept")
    run.complete_user_task(task_id, {"decision": "misrouted", "comment": "not ours"}, T0)
    assert run.completed
    assert run.data["accepted_by"] == "misrouted" and run.data["comment"] == "not ours"


@pytest.mark.parametrize("task_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_completing_an_unknown_task_is_an_engine_error(run: ProcessRun, task_id: str) -> None:
    with pytest.raises(EngineError):
        run.complete_user_task(task_id, {}, T0)


def test_completing_a_task_twice_is_an_engine_error(run: ProcessRun) -> None:
    task_id = single_user_task(run, "accept")
    run.complete_user_task(task_id, {"decision": "accept"}, T0)
    with pytest.raises(EngineError):
        run.complete_user_task(task_id, {"decision": "accept"}, T0)


def test_describe_lists_bpmn_elements_with_states(run: ProcessRun) -> None:
    states = {row["element_id"]: row["state"] for row in run.describe()}
    assert states["prepare"] == "COMPLETED" and states["accept"] == "READY"
    assert states["deadline"] == "WAITING"


def test_manual_tasks_in_called_processes_are_user_tasks(services: StubServices) -> None:
    spec = spec_for("call_activity", ["call_activity.bpmn", "call_activity_child.bpmn"])
    run = ProcessRun.start(spec, {"notify_until": T0.isoformat(), "representatives": []}, T0, services)
    run.complete_user_task(single_user_task(run, "confirm_sent"), {}, T0)
    assert run.completed and run.data["notified"] == 0


def test_user_tasks_are_looked_up_again_once_the_workflow_is_handed_out(run: ProcessRun) -> None:
    from SpiffWorkflow.util.task import TaskState

    assert [t.name for t in run.user_tasks()] == ["accept"]
    workflow = run.workflow  # e.g. a migration changes the workflow directly
    task = workflow.get_next_task(state=TaskState.READY, manual=True)
    task.data["decision"] = "accept"
    task.run()
    assert [t.name for t in run.user_tasks()] == []  # not the READY task remembered from the last advance
