"""Run-time failures surface as typed engine errors naming the element."""

from __future__ import annotations

import pytest

from engine import ProcessRun, ScriptError, ScriptTimeout, build_spec, load_spec
from tests.engine.conftest import T0, StubServices, bpmn_process

SCRIPT_FLOW = """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="work"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
"""


def start_script(script: str) -> ProcessRun:
    content = bpmn_process(SCRIPT_FLOW.format(script=script))
    spec = load_spec(build_spec("p", {"p.bpmn": content}, {}))
    return ProcessRun.start(spec, {}, T0, StubServices())


def test_endless_loop_in_a_script_task_times_out() -> None:
    with pytest.raises(ScriptTimeout) as caught:
        start_script("while True:\n    pass")
    assert caught.value.element_id == "work"


def test_failing_script_is_a_script_error_with_element_id() -> None:
    with pytest.raises(ScriptError) as caught:
        start_script("x = missing + 1")
    assert caught.value.element_id == "work" and "missing" in str(caught.value)


def test_script_sees_the_run_clock() -> None:
    run = start_script("started = now()")
    assert run.completed and run.data["started"] == T0
