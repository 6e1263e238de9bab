"""inspect_diagram reports every deploy-time problem with element id and line."""

from __future__ import annotations

import pytest

from engine import DiagramInvalid, Issue, inspect_diagram
from tests.engine.conftest import bpmn_process, read

FLOW = """
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {task}
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t" />
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end" />
"""


def issues_of(content: bytes, filename: str = "x.bpmn") -> list[Issue]:
    with pytest.raises(DiagramInvalid) as caught:
        inspect_diagram(filename, content)
    assert caught.value.issues and all(issue.message for issue in caught.value.issues)
    return caught.value.issues


def with_task(task: str) -> bytes:
    return bpmn_process(FLOW.format(task=task))


def test_valid_fixtures_are_accepted() -> None:
    info = inspect_diagram("business_rule.bpmn", read("business_rule.bpmn"))
    assert info.kind == "bpmn" and info.ids == ["business_rule"]
    assert info.called_decisions == ["routing", "sla"]
    assert inspect_diagram("sla.dmn", read("sla.dmn")).ids == ["sla"]


def test_call_activity_targets_are_listed() -> None:
    info = inspect_diagram("call_activity.bpmn", read("call_activity.bpmn"))
    assert info.called_processes == ["call_activity_child"]


def test_script_syntax_error_has_element_and_line() -> None:
    content = with_task("""<bpmn:scriptTask id="t"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>x = = 1</bpmn:script></bpmn:scriptTask>""")
    [issue] = issues_of(content)
    assert issue.element_id == "t" and "syntax" in issue.message and issue.line == 10


def test_sandbox_violations_in_pre_and_post_scripts_are_reported() -> None:
    content = with_task("""<bpmn:task id="t"><bpmn:extensionElements>
      <spiffworkflow:preScript>import os</spiffworkflow:preScript>
      <spiffworkflow:postScript>y = x.__class__</spiffworkflow:postScript>
      </bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:task>""")
    messages = [issue.message for issue in issues_of(content)]
    assert any("imports" in m for m in messages) and any("__class__" in m for m in messages)


def test_bad_condition_is_reported() -> None:
    body = FLOW.format(task='<bpmn:task id="t"><bpmn:incoming>f1</bpmn:incoming>'
                       '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:task>')
    body = body.replace('targetRef="end" />', 'targetRef="end"><bpmn:conditionExpression>'
                        '${approved}</bpmn:conditionExpression></bpmn:sequenceFlow>')
    [issue] = issues_of(bpmn_process(body))
    assert issue.element_id == "f2" and "condition" in issue.message


def test_misspelled_spiff_extension_is_reported_with_a_hint() -> None:
    content = with_task("""<bpmn:task id="t"><bpmn:extensionElements>
      <spiffworkflow:preScrpt>x = 1</spiffworkflow:preScrpt></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:task>""")
    [issue] = issues_of(content)
    assert "spiffworkflow:preScrpt" in issue.message and "preScript" in issue.message
    assert issue.element_id == "t"


def test_unquoted_iso_duration_timer_is_refused_with_a_hint() -> None:
    content = bpmn_process("""
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="td"><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />""")
    [issue] = issues_of(content)
    assert "'PT2H'" in issue.message and "quoted" in issue.message


@pytest.mark.parametrize("kind, value, ok", [
    ("timeDuration", "'PT2H'", True), ("timeDuration", "'P1Y2M3DT4H'", True),
    ("timeDuration", "'2 hours'", False), ("timeDate", "'2025-03-01T10:00:00+03:00'", True),
    ("timeDate", "'tomorrow'", False), ("timeCycle", "'R3/PT10M'", True), ("timeCycle", "'PT10M'", False),
    ("timeDuration", "accept_within", True), ("timeDuration", "accept_within +", False),
])
def test_timer_literals_are_parsed_and_expressions_syntax_checked(kind: str, value: str, ok: bool) -> None:
    content = bpmn_process(f"""
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition id="td"><bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />""")
    if ok:
        inspect_diagram("t.bpmn", content)
    else:
        assert issues_of(content)[0].element_id == "td"


def test_service_task_without_operator_is_reported() -> None:
    content = with_task('<bpmn:serviceTask id="t"><bpmn:incoming>f1</bpmn:incoming>'
                        '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>')
    [issue] = issues_of(content)
    assert issue.element_id == "t" and "serviceTaskOperator" in issue.message


@pytest.mark.parametrize("schema, fragment", [
    ("{not json", "not valid JSON"),
    ('{"type": "objekt"}', "not a valid JSON Schema"),
    ("[1, 2]", "JSON object"),
])
def test_bad_form_schema_is_reported(schema: str, fragment: str) -> None:
    escaped = schema.replace('"', "&quot;")
    content = with_task(f"""<bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchema" value="{escaped}" /></spiffworkflow:properties>
      </bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>""")
    [issue] = issues_of(content)
    assert fragment in issue.message and issue.element_id == "t"


def test_missing_process_id_and_no_executable_process_are_explained() -> None:
    content = bpmn_process('<bpmn:startEvent id="s" />', process_id="p", executable="false")
    [issue] = issues_of(content)
    assert "no executable process" in issue.message
    content = bpmn_process('<bpmn:startEvent id="s" />').replace(b'<bpmn:process id="p"', b"<bpmn:process")
    assert any("no id" in issue.message for issue in issues_of(content))


def test_multi_instance_without_cardinality_and_data_stores_are_refused() -> None:
    content = with_task("""<bpmn:task id="t"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics /></bpmn:task>""")
    assert "loopCardinality" in issues_of(content)[0].message
    content = bpmn_process('<bpmn:startEvent id="s" /><bpmn:dataStoreReference id="ds" />')
    assert any("data stores" in issue.message for issue in issues_of(content))


def test_business_rule_task_without_decision_is_reported() -> None:
    content = with_task('<bpmn:businessRuleTask id="t"><bpmn:incoming>f1</bpmn:incoming>'
                        '<bpmn:outgoing>f2</bpmn:outgoing></bpmn:businessRuleTask>')
    assert any("calledDecisionId" in issue.message for issue in issues_of(content))


def test_spiff_parser_errors_are_mapped_to_issues() -> None:
    content = bpmn_process('<bpmn:task id="lonely" />')
    [issue] = issues_of(content)
    assert "start event" in issue.message.lower() and issue.element_id == "p" and issue.line


def test_schema_violations_are_listed_with_lines() -> None:
    content = with_task('<bpmn:userTsk id="t" />')
    issues = issues_of(content)
    assert any(issue.message.startswith("schema:") and issue.line for issue in issues)


def test_dmn_entry_errors_are_reported() -> None:
    broken = read("routing.dmn").replace(b'? in ("cold_water"', b'? in (("cold_water"')
    [issue] = issues_of(broken, "routing.dmn")
    assert issue.element_id == "r2_category" and issue.line
    glued = read("routing.dmn").replace(b'? in (', b"in (")
    assert "'? in (" in issues_of(glued, "routing.dmn")[0].message
    escape = read("sla.dmn").replace(b'"PT6H"', b"().__class__")
    assert "__class__" in issues_of(escape, "sla.dmn")[0].message


@pytest.mark.parametrize("content", [
    b"", b"\x00\xff\xfe", b"not xml at all", b"<a><b></a>", b"<?xml version='1.0'?><html/>",
    "<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>я".encode(),
    b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'/>",
    b"<definitions xmlns='https://www.omg.org/spec/DMN/20191111/MODEL/'/>",
])
def test_garbage_is_only_ever_diagram_invalid(content: bytes) -> None:
    issues_of(content)


def test_malformed_xml_reports_the_line() -> None:
    [issue] = issues_of(b"<?xml version='1.0'?>\n<a>\n<b>\n</a>")
    assert issue.line in (3, 4) and "malformed XML" in issue.message
