"""What a process needs from decision tables and operations, and the declared defaults of outputs."""

from __future__ import annotations

import re
from pathlib import Path

from engine import ProcessRun, build_spec, load_spec
from engine.contracts import decision_against_processes, process_against_decisions, process_against_operations
from engine.interface import OperationInterface, decision_outputs, process_needs
from engine.validation import parse_root
from tests.engine.conftest import T0, StubServices

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


def _appeal() -> bytes:
    return (BPMN / "appeal.bpmn").read_bytes()


def _sla(*without: str) -> bytes:
    """The bundled sla.dmn, optionally without some output columns (their <output> and every rule's cell)."""
    text = (BPMN / "sla.dmn").read_text(encoding="utf-8")
    for name in without:
        column = re.search(rf'<output id="(\w+)"[^>]*name="{name}"[^>]*/>', text)
        assert column is not None
        index = len(re.findall(r"<output ", text[:column.start()]))
        text = text.replace(column.group(0), "")
        text = re.sub(r"(<rule [^>]*>(?:<description>.*?</description>)?(?:<inputEntry.*?</inputEntry>)*)"
                      r"((?:<outputEntry.*?</outputEntry>)*)</rule>",
                      lambda m, i=index: m.group(1) + "".join(
                          re.findall(r"<outputEntry.*?</outputEntry>", m.group(2))[:i]
                          + re.findall(r"<outputEntry.*?</outputEntry>", m.group(2))[i + 1:]) + "</rule>",
                      text)
    return text.encode()


# The contract's table: accept_within and resolve_within only.
TWO_OUTPUTS = ("calendar", "escalate_within")


def _without_default(content: bytes) -> bytes:
    return re.sub(rb'<spiffworkflow:properties><spiffworkflow:property name="outputDefaults"[^>]*/>'
                  rb'</spiffworkflow:properties>', b"", content)


def test_the_appeal_process_needs_routing_and_sla_outputs_and_declares_calendar_optional() -> None:
    needs = process_needs(parse_root("appeal.bpmn", _appeal()), "appeal.bpmn")
    calls = {call.decision_id: call for call in needs.decisions}
    assert set(calls) == {"routing", "outage_detection", "sla"}
    assert dict(calls["sla"].defaults) == {"calendar": "calendar"}
    assert [read.element_id for read in needs.reads["calendar"]] == ["set_deadlines"]
    assert {read.element_id for read in needs.reads["accept_within"]} == {"set_deadlines"}


def test_a_two_output_sla_table_satisfies_the_appeal_process_thanks_to_the_declared_default() -> None:
    needs = process_needs(parse_root("appeal.bpmn", _appeal()), "appeal.bpmn")
    [table] = decision_outputs(parse_root("sla.dmn", _sla(*TWO_OUTPUTS)), "sla.dmn")
    assert table.outputs == {"accept_within", "resolve_within"}
    known = frozenset({"accept_within", "resolve_within", "calendar"})
    assert decision_against_processes(table, [needs], known) == []


def test_without_the_default_the_two_output_table_is_refused_naming_both_sides() -> None:
    needs = process_needs(parse_root("appeal.bpmn", _without_default(_appeal())), "appeal.bpmn")
    [table] = decision_outputs(parse_root("sla.dmn", _sla(*TWO_OUTPUTS)), "sla.dmn")
    [found] = decision_against_processes(table, [needs], frozenset({"accept_within", "resolve_within", "calendar"}))
    assert found.element_id == "sla" and found.file == "sla.dmn" and found.line == 3
    assert found.message.startswith("sla.dmn больше не даёт «calendar», а appeal.bpmn читает его в задаче "
                                    "set_deadlines (строка ")
    # and the other way round: the process deployed against the two-output table
    [found] = process_against_decisions(needs, {"sla": table}, {"sla": frozenset({"calendar"})})
    assert (found.element_id, found.file) == ("set_deadlines", "appeal.bpmn")
    assert "sla.dmn (решение sla) его не даёт" in found.message


def test_the_declared_default_fills_the_missing_output_at_run_time() -> None:
    bundle = build_spec("appeal", {"appeal.bpmn": _appeal()},
                        {"routing.dmn": (BPMN / "routing.dmn").read_bytes(),
                         "outage_detection.dmn": (BPMN / "outage_detection.dmn").read_bytes(),
                         "sla.dmn": _sla(*TWO_OUTPUTS)})
    answers = {"route_appeal": {"organization_id": 7, "joined": False, "incident_id": None},
               "appeal_deadlines": {"accept_due_at": "2025-01-15T10:00:00+00:00",
                                    "resolve_due_at": "2025-01-16T09:00:00+00:00",
                                    "accept_remind_at": "2025-01-15T09:45:00+00:00",
                                    "resolve_remind_at": "2025-01-16T03:00:00+00:00"}}
    services = StubServices(answers)
    run = ProcessRun.start(load_spec(bundle), {"appeal_id": 1, "category": "roof", "emergency": False,
                                               "network": False, "refusals": 0, "escalation_level": 0,
                                               "channel": "phone", "topic": None}, T0, services)
    deadlines = next(params for operation, params, _ in services.calls if operation == "appeal_deadlines")
    assert deadlines == {"accept_within": "P1D", "resolve_within": "P10D", "calendar": "calendar"}
    assert [task.name for task in run.user_tasks()] == ["accept"]


def test_a_table_that_gives_the_output_keeps_its_value_over_the_default() -> None:
    bundle = build_spec("appeal", {"appeal.bpmn": _appeal()},
                        {"routing.dmn": (BPMN / "routing.dmn").read_bytes(),
                         "outage_detection.dmn": (BPMN / "outage_detection.dmn").read_bytes(), "sla.dmn": _sla()})
    services = StubServices({"route_appeal": {"organization_id": 7, "joined": False, "incident_id": None},
                             "appeal_deadlines": {"accept_due_at": "2025-01-15T10:00:00+00:00",
                                                  "resolve_due_at": "2025-01-16T09:00:00+00:00",
                                                  "accept_remind_at": "2025-01-15T09:45:00+00:00",
                                                  "resolve_remind_at": "2025-01-16T03:00:00+00:00"}})
    ProcessRun.start(load_spec(bundle), {"appeal_id": 1, "category": "roof", "emergency": False, "network": False,
                                         "refusals": 0, "escalation_level": 0, "channel": "phone", "topic": None},
                     T0, services)
    deadlines = next(params for operation, params, _ in services.calls if operation == "appeal_deadlines")
    assert deadlines["calendar"] == "working"  # the catch-all rule's own value


def test_service_tasks_are_checked_against_the_operations_they_call() -> None:
    needs = process_needs(parse_root("appeal.bpmn", _appeal()), "appeal.bpmn")
    operations = {
        "route_appeal": OperationInterface(required=frozenset({"responsible_kind"}),
                                           result_keys=frozenset({"organization_id", "joined"})),
        "appeal_rerouted": OperationInterface(required=frozenset({"organization_id"}),
                                              result_keys=frozenset({"organization_id", "joined"})),
        "appeal_deadlines": OperationInterface(required=frozenset({"accept_within", "resolve_within"})),
    }
    found = process_against_operations(needs, operations)
    by_message = {issue.message for issue in found}
    assert ("appeal.bpmn: операция «appeal_deadlines» не принимает параметр «calendar» (задача set_deadlines)"
            in by_message)
    assert "appeal.bpmn: задача assign вызывает операцию «appeal_assigned», которой нет в приложении" in by_message
    assert not any("routed['organization_id']" in message for message in by_message)
    operations["route_appeal"] = OperationInterface(required=frozenset({"responsible_kind"}),
                                                    result_keys=frozenset({"organization_id"}))
    operations["appeal_rerouted"] = operations["appeal_absorbed"] = operations["route_appeal"]
    joined = [i for i in process_against_operations(needs, operations) if "['joined']" in i.message]
    assert "to_known" in {i.element_id for i in joined}
    joined = [i for i in joined if i.element_id == "to_known"]
    assert "(есть: organization_id)" in joined[0].message
