"""The desk's category suggestion on 308 labelled call texts (tests/data/desk/calls.tsv): every third text is
held out — the cue table (workflows/appeals/data/desk_cues.json) was tuned on the other two thirds only."""
from __future__ import annotations

from pathlib import Path

import pytest

from workflows.appeals.suggest import sounds_like_emergency, suggest

CALLS = Path(__file__).resolve().parents[1] / "data" / "desk" / "calls.tsv"
# Measured on the held-out third when the cue table was last changed (README, «Приём звонка»).
HELD_OUT_TOP1 = 0.98
HELD_OUT_EMERGENCY = 0.951


def calls() -> list[tuple[str, bool, str]]:
    rows = [line.split("\t") for line in CALLS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [(category, flag == "1", text) for category, flag, text in rows]


def held_out() -> list[tuple[str, bool, str]]:
    return [row for index, row in enumerate(calls()) if index % 3 == 2]


def test_the_labelled_set_covers_every_category_with_at_least_300_calls() -> None:
    from workflows.appeals.catalog import CODES

    rows = calls()
    assert len(rows) >= 300
    assert {category for category, _, _ in rows} == set(CODES)
    assert min(sum(1 for c, _, _ in rows if c == code) for code in CODES) >= 15


def test_top1_category_accuracy_on_the_held_out_calls_is_the_reported_figure() -> None:
    rows = held_out()
    right = sum(1 for category, _, text in rows if suggest(text) == category)
    accuracy = round(right / len(rows), 3)
    assert accuracy >= 0.85
    assert accuracy == HELD_OUT_TOP1


def test_emergency_suggestion_on_the_held_out_calls_is_the_reported_figure() -> None:
    rows = held_out()
    right = sum(1 for _, emergency, text in rows if sounds_like_emergency(text, suggest(text)) == emergency)
    assert round(right / len(rows), 3) == HELD_OUT_EMERGENCY


@pytest.mark.parametrize(("text", "category", "emergency"), [
    ("нет холодной воды", "cold_water", True),
    ("отключили воду", "cold_water", True),
    ("течёт с потолка", "roof", True),
    ("в квартире холодно", "heating", False),
    ("счёт за отопление завышен", "billing", False),
    ("сильно пахнет газом в подъезде", "gas", True),
])
def test_the_phrasings_the_desk_missed_are_suggested(text: str, category: str, emergency: bool) -> None:
    assert suggest(text) == category
    assert sounds_like_emergency(text, category) is emergency
