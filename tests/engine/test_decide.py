"""engine.decide: a deployed decision table evaluated outside a process, as a business rule task would."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.decide import decide
from engine.errors import EngineError

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


def test_a_table_gives_the_first_matching_rows_outputs() -> None:
    table = (BPMN / "outage_limits.dmn").read_bytes()
    facts = {"resource": "electricity", "kind": "emergency", "power_sources": None, "dead_end_hot_water": False,
             "on_network": False, "indoor_temperature": None, "outdoor_temperature": None}
    found = decide(table, "outage_limits", facts)
    assert (found["single_limit"], found["monthly_limit"], found["source"]) == (2, None, "ПП 354, Приложение 1, п. 9")
    assert decide(table, "outage_limits", {**facts, "power_sources": 1})["single_limit"] == 24


def test_a_missing_fact_an_unknown_decision_or_a_broken_table_is_an_engine_error() -> None:
    table = (BPMN / "outage_limits.dmn").read_bytes()
    with pytest.raises(EngineError):
        decide(table, "outage_limits", {"resource": "heating"})  # the heating rows read indoor_temperature
    with pytest.raises(EngineError):
        decide(table, "no_such_decision", {})
    with pytest.raises(EngineError):
        decide(b"<definitions", "outage_limits", {})


@pytest.mark.parametrize(("category", "emergency", "within"), [("gas", True, "PT4H"), ("yard", False, "PT8H")])
def test_the_social_answer_table_gives_the_first_answer_deadline(category: str, emergency: bool, within: str) -> None:
    content = (BPMN / "social_answer.dmn").read_bytes()
    assert decide(content, "social_answer", {"category": category, "emergency": emergency}) == {
        "first_answer_within": within, "hours": "working"}
