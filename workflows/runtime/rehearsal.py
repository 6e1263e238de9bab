"""Rehearsing a deploy: the candidate bundle runs each affected process's scenarios, and every rule of the
decision tables it feeds into operations is evaluated to prove its outputs are what the operation takes.

The candidate bundle is the new files plus the current versions of everything else. Scenario files are
the ones beside the bundled diagrams (bpmn/tests/<process>.json); a process without one has no scenarios.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine import (
    DiagramInfo,
    DiagramInvalid,
    OperationInterface,
    ProcessNeeds,
    build_spec,
    load_spec,
    read_process_needs,
    read_rule_outputs,
)
from workflows.db import db
from workflows.designer.scenarios import load_file, run_scenario
from workflows.runtime.keys import key_for
from workflows.runtime.models import ProcessVersion
from workflows.runtime.operations import operation_interfaces, script_functions
from workflows.services import services

SCENARIOS = Path(__file__).resolve().parents[2] / "bpmn" / "tests"
Candidates = Sequence[tuple[str, bytes, DiagramInfo]]


@dataclass
class Rehearsal:
    issues: list[dict[str, Any]] = field(default_factory=list)
    scenarios_run: int = 0
    seconds: float = 0.0  # wall time of the whole rehearsal


def _issue(message: str, element_id: str | None, line: int | None, filename: str | None) -> dict[str, Any]:
    return {"message": message, "element_id": element_id, "line": line, "file": filename}


def _files(candidates: Candidates,
           current: Callable[[str], ProcessVersion | None]) -> dict[str, tuple[str, str, bytes]]:
    """key -> (kind, filename, content): the current version of every key, the candidates replacing theirs."""
    files: dict[str, tuple[str, str, bytes]] = {}
    for key in db.session.scalars(select(ProcessVersion.key).distinct()):
        version = current(key)
        if version is not None:
            files[key] = (version.kind, version.filename, bytes(version.content))
    for filename, content, info in candidates:
        files[key_for(filename, info)] = (info.kind, filename, content)
    return files


def _affected(candidates: Candidates, files: Mapping[str, tuple[str, str, bytes]]) -> list[str]:
    """Processes whose bundle the candidates change: the new diagrams, and processes calling a new table."""
    new_decisions = {i for _, _, info in candidates if info.kind == "dmn" for i in info.ids}
    affected = {i for _, _, info in candidates if info.kind == "bpmn" for i in info.ids}
    for key, (kind, filename, content) in files.items():
        if kind == "bpmn" and {c.decision_id for c in read_process_needs(filename, content).decisions} & new_decisions:
            affected.add(key)
    return sorted(affected)


_remembered: dict[str, tuple[list[dict[str, Any]], int]] = {}  # bundle digest -> (issues, scenarios run)


def _digest(files: Mapping[str, tuple[str, str, bytes]], affected: Sequence[str], candidates: Candidates) -> str:
    """The same files, scenarios and candidates always rehearse the same way: name them by their content."""
    hasher = hashlib.sha256()
    for key in sorted(files):
        kind, filename, content = files[key]
        hasher.update(f"{key}|{kind}|{filename}|".encode() + hashlib.sha256(content).digest())
    for process_id in affected:
        path = SCENARIOS / f"{process_id}.json"
        hasher.update(process_id.encode() + (path.read_bytes() if path.is_file() else b""))
    hasher.update("|".join(sorted(f"{info.kind}:{name}" for name, _, info in candidates)).encode())
    return hasher.hexdigest()


def rehearse(candidates: Candidates, current: Callable[[str], ProcessVersion | None]) -> Rehearsal:
    started = time.perf_counter()
    files = _files(candidates, current)
    affected = _affected(candidates, files)
    digest = _digest(files, affected, candidates)
    if digest in _remembered:
        issues, run = _remembered[digest]
        return Rehearsal(list(issues), run, time.perf_counter() - started)
    result = _rehearse(candidates, files, affected)
    if len(_remembered) > 64:
        _remembered.clear()
    _remembered[digest] = (list(result.issues), result.scenarios_run)
    result.seconds = time.perf_counter() - started
    return result


def _rehearse(candidates: Candidates, files: Mapping[str, tuple[str, str, bytes]], affected: list[str]) -> Rehearsal:
    result = Rehearsal()
    processes = {key: read_process_needs(files[key][1], files[key][2]) for key in affected if key in files}
    new_tables = {filename for filename, _, info in candidates if info.kind == "dmn"}
    any_process = any(info.kind == "bpmn" for _, _, info in candidates)
    # a new table is checked against the processes it feeds; a new diagram against every table it reads
    tables = [(filename, content) for kind, filename, content in files.values()
              if kind == "dmn" and (any_process or filename in new_tables)]
    result.issues += value_issues(tables, processes.values(), operation_interfaces(), new_tables)
    for process_id in affected:
        result.scenarios_run += _run_scenarios(process_id, files, result.issues)
    return result


def _run_scenarios(process_id: str, files: Mapping[str, tuple[str, str, bytes]], issues: list[dict[str, Any]]) -> int:
    path = SCENARIOS / f"{process_id}.json"
    if not path.is_file():
        return 0
    bpmn = {filename: content for kind, filename, content in files.values() if kind == "bpmn"}
    dmn = {filename: content for kind, filename, content in files.values() if kind == "dmn"}
    try:
        spec = load_spec(build_spec(process_id, bpmn, dmn))
    except DiagramInvalid as err:
        issues += [_issue(i.message, i.element_id, i.line, i.file) for i in err.issues]
        return 0
    scenarios = load_file(path)["scenarios"]
    for scenario in scenarios:
        outcome = run_scenario(spec, scenario, script_functions())
        if outcome.passed:
            continue
        step = f", шаг {outcome.step}" if outcome.step else ""
        failure = outcome.failures[0].split(": ", 1)[1] if outcome.failures[0].startswith("step ") \
            else outcome.failures[0]
        issues.append(_issue(f"сценарий «{outcome.name}» ({process_id}){step} не прошёл: {failure}",
                             outcome.element_id, None, files[process_id][1] if process_id in files else None))
    return len(scenarios)


def _value_checks() -> Mapping[str, Callable[[Any], str | None]]:
    return services().value_checks


def value_issues(tables: Sequence[tuple[str, bytes]], processes: Iterable[ProcessNeeds],
                 operations: Mapping[str, OperationInterface | None], blame_tables: set[str]) -> list[dict[str, Any]]:
    """Every rule's value of an output that a process passes to an operation parameter of a declared kind."""
    outputs = {filename: read_rule_outputs(filename, content) for filename, content in tables}
    checks, issues = _value_checks(), []
    for needs in processes:
        called = {call.decision_id: call for call in needs.decisions}
        for site in needs.services:
            declared = operations.get(site.operation)
            for param, expression in site.values if declared is not None else ():
                kind, name = declared.value_kinds.get(param) if declared else None, expression.strip()
                check = checks.get(kind or "")
                if check is None or not name.isidentifier():
                    continue
                for filename, rules in outputs.items():
                    for rule in rules:
                        if rule.decision_id not in called or rule.output != name:
                            continue
                        problem = rule.error or check(rule.value)
                        if problem is None:
                            continue
                        where = (rule.rule_id, rule.line, filename) if filename in blame_tables \
                            else (site.element_id, site.line, needs.filename)
                        issues.append(_issue(
                            f"{filename}, правило {rule.rule_id}: выход «{name}» = {rule.value!r} — {problem} "
                            f"(его передаёт {needs.filename}, задача {site.element_id}, в параметр «{param}» "
                            f"операции «{site.operation}»)", *where))
    return issues
