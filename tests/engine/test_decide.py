"""A lone decision table evaluated outside any process (engine.decide.decide)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.decide import decide
from engine.errors import DiagramInvalid

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


@pytest.mark.parametrize(("category", "emergency", "within"), [("gas", True, "PT4H"), ("yard", False, "PT8H")])
def test_the_first_matching_rule_gives_the_outputs(category: str, emergency: bool, within: str) -> None:
    content = (BPMN / "social_answer.dmn").read_bytes()
    assert decide("social_answer.dmn", content, "social_answer", {"category": category, "emergency": emergency}) == {
        "first_answer_within": within, "hours": "working"}


def test_a_missing_decision_or_a_broken_file_is_diagram_invalid() -> None:
    content = (BPMN / "social_answer.dmn").read_bytes()
    with pytest.raises(DiagramInvalid):
        decide("social_answer.dmn", content, "sla", {"category": "gas", "emergency": True})
    with pytest.raises(DiagramInvalid):
        decide("x.dmn", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "social_answer", {})
