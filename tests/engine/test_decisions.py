"""Business rule tasks evaluate DMN decisions given to build_spec."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import DiagramInvalid, ProcessRun, build_spec
from tests.engine.conftest import T0, StubServices, read, spec_for


@pytest.mark.parametrize("category, emergency, kind, accept, resolve", [
    ("heating", False, "uk", "PT2H", "P1D"),          # FIRST: heating rule before the catch-all
    ("heating", True, "uk", "PT30M", "PT6H"),         # FIRST: emergency rule wins
    ("gas", True, "gas_emergency", "PT30M", "PT6H"),  # UNIQUE routing
    ("cold_water", False, "rso", "P1D", "P7D"),
])
def test_decisions_return_iso_durations_that_drive_timers(
    services: StubServices, category: str, emergency: bool, kind: str, accept: str, resolve: str,
) -> None:
    spec = spec_for("business_rule", ["business_rule.bpmn"], ["routing.dmn", "sla.dmn"])
    run = ProcessRun.start(spec, {"category": category, "emergency": emergency}, T0, services)
    assert run.data["responsible_kind"] == kind
    assert (run.data["accept_within"], run.data["resolve_within"]) == (accept, resolve)
    [timer] = run.timers()
    hours = {"PT2H": 2, "PT30M": 0.5, "P1D": 24}[accept]
    assert timer.due_at == T0 + timedelta(hours=hours)
    run.advance(timer.due_at)
    assert run.completed


def test_missing_decision_file_is_diagram_invalid() -> None:
    with pytest.raises(DiagramInvalid) as caught:
        build_spec("business_rule", {"b.bpmn": read("business_rule.bpmn")}, {"routing.dmn": read("routing.dmn")})
    assert any("sla" in issue.message for issue in caught.value.issues)


def test_missing_called_process_is_diagram_invalid() -> None:
    with pytest.raises(DiagramInvalid) as caught:
        build_spec("call_activity", {"c.bpmn": read("call_activity.bpmn")}, {})
    assert any("call_activity_child" in issue.message for issue in caught.value.issues)
