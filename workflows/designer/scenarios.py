"""BPMN unit tests: scenario files beside the diagrams (bpmn/tests/<process>.json) run as dry runs.

A scenario file: {"process": id, "scenarios": [{"name", "start" (ISO time), "data", "operations"
(operation -> result), "steps": [...], "expect": {...}}]}. A step is one of
{"complete": task, "data": {...}}, {"clock": "PT2H" | ISO time}, {"message": name, "payload": {...}},
or {"expect": {...}}. An expectation may hold "tasks" (ready user task ids, any order), "timers"
(waiting timer ids), "completed" (bool), "data" (values the data must contain) and "calls"
(operation names called so far, in order).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import ProcessSpec, build_spec, load_spec
from workflows.designer.dryrun import DryRun, parse_moment
from workflows.errors import ValidationFailed


@dataclass
class ScenarioResult:
    name: str
    failures: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    step: int | None = None  # the step that failed (None: the start or the final expectation)
    element_id: str | None = None  # the element the engine named, when a step failed in the engine

    @property
    def passed(self) -> bool:
        return not self.failures


def folder_spec(folder: Path, process_id: str) -> ProcessSpec:
    """The process built from every BPMN and DMN file in ``folder`` (as a deploy of them would)."""
    bpmn = {p.name: p.read_bytes() for p in sorted(folder.glob("*.bpmn"))}
    dmn = {p.name: p.read_bytes() for p in sorted(folder.glob("*.dmn"))}
    return load_spec(build_spec(process_id, bpmn, dmn))


def load_file(path: Path) -> dict[str, Any]:
    content = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(content, dict) or not isinstance(content.get("scenarios"), list):
        raise ValueError(f"{path}: a scenario file is an object with a 'scenarios' list")
    return content


def _missing_data(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    return [f"data[{key!r}] = {actual.get(key)!r}, ожидалось {value!r}"
            for key, value in expected.items() if actual.get(key) != value]


def check_expectation(expect: Mapping[str, Any], state: Mapping[str, Any]) -> list[str]:
    """What in ``state`` (DryRun.describe()) breaks ``expect``."""
    failures = []
    if "tasks" in expect and sorted(t["name"] for t in state["tasks"]) != sorted(expect["tasks"]):
        failures.append(f"готовые задачи {[t['name'] for t in state['tasks']]}, ожидались {expect['tasks']}")
    if "timers" in expect and sorted(t["name"] for t in state["timers"]) != sorted(expect["timers"]):
        failures.append(f"ждущие таймеры {[t['name'] for t in state['timers']]}, ожидались {expect['timers']}")
    if "completed" in expect and state["completed"] != expect["completed"]:
        failures.append(f"процесс завершён: {state['completed']}, ожидалось {expect['completed']}")
    if "calls" in expect and [c["operation"] for c in state["calls"]] != list(expect["calls"]):
        failures.append(f"вызовы {[c['operation'] for c in state['calls']]}, ожидались {expect['calls']}")
    failures += _missing_data(expect.get("data") or {}, state["data"])
    return failures


def _apply(dry: DryRun, step: Mapping[str, Any]) -> list[str]:
    if "complete" in step:
        dry.complete(str(step["complete"]), dict(step.get("data") or {}))
    elif "clock" in step:
        dry.advance(parse_moment(step["clock"], dry.now))
    elif "message" in step:
        if not dry.send(str(step["message"]), dict(step.get("payload") or {})):
            return [f"сообщение {step['message']!r} никто не ждал"]
    elif "expect" in step:
        return check_expectation(step["expect"], dry.describe())
    else:
        return [f"неизвестный шаг {sorted(step)}"]
    return []


def run_scenario(spec: ProcessSpec, scenario: Mapping[str, Any],
                 functions: Mapping[str, Callable[..., Any]] | None = None) -> ScenarioResult:
    result = ScenarioResult(str(scenario.get("name") or "scenario"))
    try:
        dry = DryRun.start(spec, dict(scenario.get("data") or {}), parse_moment(scenario["start"]),
                           dict(scenario.get("operations") or {}), functions)
        for number, step in enumerate(scenario.get("steps") or [], start=1):
            result.step = number
            result.failures += [f"step {number}: {failure}" for failure in _apply(dry, step)]
            if result.failures:
                return result
        result.step = None
        result.state = dry.describe()
        result.failures += check_expectation(scenario.get("expect") or {}, result.state)
    except ValidationFailed as err:
        details = err.details if isinstance(err.details, dict) else {}
        result.element_id = str(details["element_id"]) if details.get("element_id") else None
        result.failures.append(err.message)
    return result
