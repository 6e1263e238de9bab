"""Evaluating a DMN decision table on its own, outside any process (for services that need a table's
answer directly, e.g. the first public answer deadline of a social post)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

from engine.errors import DiagramInvalid, Issue
from engine.parser import EngineParser
from engine.safexml import parse_xml
from engine.script_engine import SandboxEnvironment, SandboxScriptEngine


def decide(filename: str, content: bytes, decision_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The outputs of the first matching rule (or all, per the hit policy) of `decision_id` for `data`."""
    root, issues = parse_xml(filename, content)
    if root is None:
        raise DiagramInvalid(issues)
    parser = EngineParser()
    parser.add_dmn_xml(root, filename)
    if decision_id not in parser.dmn_parsers:
        raise DiagramInvalid([Issue(f"decision {decision_id!r} is not in the file", None, None, filename)])
    dmn_parser = parser.dmn_parsers[decision_id]
    dmn_parser.parse()
    engine = DMNEngine(dmn_parser.decision.decisionTables[0])
    script_engine = SandboxScriptEngine(SandboxEnvironment(None, None))
    task = SimpleNamespace(data=dict(data), workflow=SimpleNamespace(script_engine=script_engine))
    return dict(engine.result(task))
