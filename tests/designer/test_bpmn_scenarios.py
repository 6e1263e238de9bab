"""BPMN unit tests: every diagram in bpmn/ has a scenario file beside it, and every scenario passes."""
from __future__ import annotations

from pathlib import Path

import pytest

from workflows.designer.scenarios import folder_spec, load_file, run_scenario
from workflows.operations import default_script_functions

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
DIAGRAMS = sorted(BPMN.glob("*.bpmn"))


def _cases() -> list[tuple[str, int]]:
    cases = []
    for diagram in DIAGRAMS:
        path = BPMN / "tests" / f"{diagram.stem}.json"
        count = len(load_file(path)["scenarios"]) if path.is_file() else 0
        cases += [(diagram.stem, number) for number in range(count)]
    return cases


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: p.stem)
def test_every_diagram_has_scenarios(diagram: Path) -> None:
    path = BPMN / "tests" / f"{diagram.stem}.json"
    assert path.is_file(), f"add scenarios for {diagram.name} in bpmn/tests/{diagram.stem}.json"
    assert load_file(path)["scenarios"], f"{path} has no scenarios"


@pytest.mark.parametrize(("process_id", "number"), _cases())
def test_scenario_passes(process_id: str, number: int) -> None:
    scenario = load_file(BPMN / "tests" / f"{process_id}.json")["scenarios"][number]
    result = run_scenario(folder_spec(BPMN, process_id), scenario, default_script_functions())
    assert result.passed, f"{result.name}: {result.failures}"
