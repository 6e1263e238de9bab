"""Items 1 (timer cycles) and 2 (engine loops) of issue 14."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine import DiagramInvalid, ProcessRun, WorkflowError, build_spec, load_spec
from engine.isotime import parse_cycle
from tests.engine.conftest import StubServices, bpmn_process

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _timer_process(cycle: str) -> bytes:
    return bpmn_process(f"""
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeCycle>"{cycle}"</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e"/>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>""")


@pytest.mark.parametrize("cycle", ["R/PT0.001S", "R5/PT0.001S", "R10/PT59S", "R/PT1H", "R100000/PT1M"])
def test_timer_cycles_too_fast_or_without_end_are_refused_at_deploy(cycle: str) -> None:
    with pytest.raises(DiagramInvalid) as refused:
        build_spec("p", {"p.bpmn": _timer_process(cycle)}, {})
    assert "timer" in str(refused.value)


def test_a_cycle_within_the_limits_deploys_and_the_limits_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    build_spec("p", {"p.bpmn": _timer_process("R3/PT1M")}, {})
    assert parse_cycle("R1000/PT1M", NOW)[0] == 1000
    monkeypatch.setenv("OTKLIK_TIMER_MIN_CYCLE_SECONDS", "3600")
    monkeypatch.setenv("OTKLIK_TIMER_MAX_CYCLES", "5")
    with pytest.raises(ValueError):
        parse_cycle("R3/PT1M", NOW)
    with pytest.raises(ValueError):
        parse_cycle("R6/PT1H", NOW)
    assert parse_cycle("R5/PT1H", NOW)[0] == 5


def _flows(*pairs: tuple[str, str]) -> str:
    return "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>' for i, (a, b) in enumerate(pairs))


SCRIPT_LOOP = bpmn_process("""
    <bpmn:startEvent id="s"/>
    <bpmn:scriptTask id="a"><bpmn:script>n = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="b"><bpmn:script>m = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="g" default="out"/>
    <bpmn:endEvent id="e"/>""" + _flows(("s", "a"), ("a", "b"), ("b", "g"), ("g", "a")).replace(
    'id="f3" sourceRef="g" targetRef="a"/>',
    'id="f3" sourceRef="g" targetRef="a"><bpmn:conditionExpression>True</bpmn:conditionExpression>'
    '</bpmn:sequenceFlow>') + '<bpmn:sequenceFlow id="out" sourceRef="g" targetRef="e"/>')


def test_a_loop_between_script_tasks_is_refused_at_deploy() -> None:
    with pytest.raises(DiagramInvalid) as refused:
        build_spec("p", {"p.bpmn": SCRIPT_LOOP}, {})
    assert "цикл без ожидания" in str(refused.value) and "a, b, g" in str(refused.value)


def test_a_loop_through_a_user_task_deploys() -> None:
    waiting = SCRIPT_LOOP.replace(b'<bpmn:scriptTask id="b"><bpmn:script>m = 1</bpmn:script></bpmn:scriptTask>',
                                  b'<bpmn:userTask id="b"/>')
    build_spec("p", {"p.bpmn": waiting}, {})


def test_a_short_loop_with_a_declared_bound_deploys() -> None:
    declared = SCRIPT_LOOP.replace(
        b'<bpmn:exclusiveGateway id="g" default="out"/>',
        b'<bpmn:exclusiveGateway id="g" default="out"><bpmn:extensionElements><spiffworkflow:properties>'
        b'<spiffworkflow:property name="loopMaximum" value="5"/></spiffworkflow:properties>'
        b'</bpmn:extensionElements></bpmn:exclusiveGateway>')
    build_spec("p", {"p.bpmn": declared}, {})
    too_many = declared.replace(b'value="5"', b'value="100000"')
    with pytest.raises(DiagramInvalid):
        build_spec("p", {"p.bpmn": too_many}, {})


DEAD_END = bpmn_process("""
    <bpmn:startEvent id="s"/>
    <bpmn:exclusiveGateway id="g" default="to_end"/>
    <bpmn:scriptTask id="dead"><bpmn:script>y = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
    <bpmn:sequenceFlow id="to_dead" sourceRef="g" targetRef="dead">
      <bpmn:conditionExpression>x == 1</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_end" sourceRef="g" targetRef="e"/>""")


def test_an_instance_never_reports_completed_without_reaching_an_end_event() -> None:
    spec = load_spec(build_spec("p", {"p.bpmn": DEAD_END}, {}))
    assert ProcessRun.start(spec, {"x": 0}, NOW, StubServices()).completed
    with pytest.raises(WorkflowError) as failure:
        ProcessRun.start(spec, {"x": 1}, NOW, StubServices())
    assert "конечного события" in str(failure.value)
