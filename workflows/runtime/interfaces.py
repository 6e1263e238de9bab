"""Deploy-time interface checks: a candidate file against the current versions of everything else.

A new BPMN must get every decision output it reads from the current decision tables (or declare a
default) and call operations as they are declared; a new DMN must keep giving every output that a current
process reads. See engine.interface for what "reads" means.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import select

from engine import (
    DecisionOutputs,
    DiagramInfo,
    DiagramInvalid,
    Issue,
    ProcessNeeds,
    decision_against_processes,
    process_against_decisions,
    process_against_operations,
    read_decision_outputs,
    read_process_needs,
)
from workflows.db import db
from workflows.runtime.models import ProcessVersion
from workflows.runtime.operations import operation_interfaces

T = TypeVar("T")
_parsed: dict[tuple[str, str], object] = {}  # (what, content hash) -> parsed interface; contents never change


def _cached(what: str, digest: str, make: Callable[[], T]) -> T:
    key = (what, digest)
    if key not in _parsed:
        if len(_parsed) > 512:
            _parsed.clear()
        _parsed[key] = make()
    return _parsed[key]  # type: ignore[return-value]


def _needs(version: ProcessVersion) -> ProcessNeeds:
    return _cached("bpmn", version.content_hash, lambda: read_process_needs(version.filename, bytes(version.content)))


def _outputs(version: ProcessVersion) -> list[DecisionOutputs]:
    return _cached("dmn", version.content_hash, lambda: read_decision_outputs(version.filename,
                                                                             bytes(version.content)))


def _known_outputs(decision_id: str, extra: Iterable[DecisionOutputs]) -> frozenset[str]:
    """Every output any deployed version of the decision ever gave: what processes may rely on."""
    names: set[str] = set()
    for version in db.session.scalars(select(ProcessVersion).where(ProcessVersion.kind == "dmn")):
        if decision_id in version.ids:
            names.update(*(o.outputs for o in _outputs(version) if o.decision_id == decision_id))
    for table in extra:
        if table.decision_id == decision_id:
            names.update(table.outputs)
    return frozenset(names)


def interface_issues(candidates: Sequence[tuple[str, bytes, DiagramInfo]],
                     current: Callable[[str], ProcessVersion | None]) -> list[Issue]:
    """Issues of the candidate files against `current(key)` versions (and against each other)."""
    tables = [table for filename, content, info in candidates if info.kind == "dmn"
              for table in read_decision_outputs(filename, content)]
    processes = [read_process_needs(filename, content) for filename, content, info in candidates
                 if info.kind == "bpmn"]
    replaced = {key for _, _, info in candidates if info.kind == "bpmn" for key in info.ids}
    issues: list[Issue] = []
    for needs in processes:
        current_tables = {call.decision_id: table for call in needs.decisions
                          for table in _current_tables(call.decision_id, tables, current)}
        known = {d: _known_outputs(d, tables) for d in current_tables}
        issues += process_against_decisions(needs, current_tables, known)
        issues += process_against_operations(needs, operation_interfaces())
    for table in tables:
        users = _current_processes_calling(table.decision_id, current, replaced)
        issues += decision_against_processes(table, users, _known_outputs(table.decision_id, tables))
    return list(dict.fromkeys(issues))


def _current_tables(decision_id: str, candidates: list[DecisionOutputs],
                    current: Callable[[str], ProcessVersion | None]) -> list[DecisionOutputs]:
    chosen = [t for t in candidates if t.decision_id == decision_id]
    if chosen:
        return chosen[:1]
    version = current(decision_id)
    if version is None or version.kind != "dmn":
        return []
    return [t for t in _outputs(version) if t.decision_id == decision_id][:1]


def _current_processes_calling(decision_id: str, current: Callable[[str], ProcessVersion | None],
                               replaced: set[str]) -> list[ProcessNeeds]:
    keys = db.session.scalars(select(ProcessVersion.key).where(ProcessVersion.kind == "bpmn").distinct())
    found = []
    for key in keys:
        if key in replaced:
            continue  # the candidates replace it: they were checked against the new tables above
        version = current(key)
        if version is not None and decision_id in (version.called_decisions or []):
            try:
                found.append(_needs(version))
            except DiagramInvalid:
                continue  # stored versions were valid when deployed
    return found
