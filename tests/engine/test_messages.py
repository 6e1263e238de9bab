"""Message catch events are delivered only when the correlation values match."""

from __future__ import annotations

import json

import pytest

from engine import ProcessRun
from tests.engine.conftest import T0, StubServices, spec_for


@pytest.fixture
def run(services: StubServices) -> ProcessRun:
    spec = spec_for("message_correlation", ["message_correlation.bpmn"])
    return ProcessRun.start(spec, {"appeal_id": 42}, T0, services)


def test_message_waits_list_name_and_expected_correlation(run: ProcessRun) -> None:
    [wait] = run.message_waits()
    assert wait.name == "resident_confirmation" and wait.correlation == {"appeal_id": 42}


def test_wrong_correlation_key_is_not_delivered(run: ProcessRun) -> None:
    assert run.send_message("resident_confirmation", {"appeal_id": 41, "resident_answer": "yes"}, T0) is False
    assert run.send_message("resident_confirmation", {"resident_answer": "yes"}, T0) is False
    assert not run.completed and len(run.message_waits()) == 1


def test_unknown_message_name_is_not_delivered(run: ProcessRun) -> None:
    assert run.send_message("something_else", {"appeal_id": 42}, T0) is False


def test_matching_message_is_delivered_and_payload_becomes_data(run: ProcessRun) -> None:
    assert run.send_message("resident_confirmation", {"appeal_id": 42, "resident_answer": "yes"}, T0)
    assert run.completed and run.data["resident_answer"] == "yes"
    assert {row["element_id"] for row in run.describe()} >= {"closed"}


def test_message_is_delivered_after_restore(run: ProcessRun, services: StubServices) -> None:
    restored = ProcessRun.restore(run.spec, json.loads(json.dumps(run.dump())), services)
    assert restored.message_waits()[0].correlation == {"appeal_id": 42}
    assert restored.send_message("resident_confirmation", {"appeal_id": 42, "resident_answer": "no"}, T0)
    states = {row["element_id"]: row["state"] for row in restored.describe()}
    assert restored.completed and states["reopened"] == "COMPLETED"


def test_an_event_based_gateway_takes_the_message_branch_with_its_payload(services: StubServices) -> None:
    from datetime import timedelta

    spec = spec_for("answer_or_silence", ["answer_or_silence.bpmn"])
    waiting = ProcessRun.start(spec, {"appeal_id": 7}, T0, services)
    [wait] = waiting.message_waits()
    assert wait.name == "resident_confirmation" and wait.correlation == {"appeal_id": 7}
    assert [t.due_at - T0 for t in waiting.timers()] == [timedelta(days=3)]
    assert waiting.send_message("resident_confirmation", {"appeal_id": 8, "resident_answer": "yes"}, T0) is False
    assert waiting.send_message("resident_confirmation", {"appeal_id": 7, "resident_answer": "yes"}, T0)
    assert waiting.completed and waiting.data["resident_answer"] == "yes"
    finished = {row["element_id"] for row in waiting.describe() if row["state"] == "COMPLETED"}
    assert "closed" in finished and "timed_out" not in finished


def test_an_event_based_gateway_takes_the_timer_branch_when_nobody_answers(services: StubServices) -> None:
    from datetime import timedelta

    spec = spec_for("answer_or_silence", ["answer_or_silence.bpmn"])
    waiting = ProcessRun.start(spec, {"appeal_id": 7}, T0, services)
    waiting.advance(T0 + timedelta(days=3))
    assert waiting.completed and waiting.message_waits() == []
    assert "timed_out" in {row["element_id"] for row in waiting.describe() if row["state"] == "COMPLETED"}


def test_an_event_based_gateway_reached_again_catches_the_next_message(services: StubServices) -> None:
    spec = spec_for("ask_again", ["ask_again.bpmn"])
    waiting = ProcessRun.start(spec, {"appeal_id": 7}, T0, services)
    assert waiting.send_message("resident_confirmation", {"appeal_id": 7, "resident_answer": "no"}, T0)
    assert not waiting.completed and len(waiting.message_waits()) == 1
    assert waiting.send_message("resident_confirmation", {"appeal_id": 7, "resident_answer": "no"}, T0)
    assert waiting.send_message("resident_confirmation", {"appeal_id": 7, "resident_answer": "yes"}, T0)
    assert waiting.completed
