"""Evaluate one DMN decision table outside a process run (the application re-checks facts with it).

The table is parsed with the same parser and evaluated by the same sandboxed script engine a
business rule task uses, so a decision gives the same answer in a process and here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from engine.errors import EngineError
from engine.safexml import parse_xml
from engine.script_engine import SandboxEnvironment, SandboxScriptEngine


@dataclass
class _Workflow:
    script_engine: SandboxScriptEngine


@dataclass
class _Task:
    """What DMNEngine reads from a task: its data and the workflow's script engine."""

    data: dict[str, Any]
    workflow: _Workflow
    id: str = "decision"
    task_spec: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=32)
def _engine(content: bytes, decision_id: str) -> DMNEngine:
    root, issues = parse_xml(f"{decision_id}.dmn", content)
    if root is None:
        raise EngineError(f"the table {decision_id!r} cannot be read: {issues[0].message if issues else ''}")
    parser = BpmnDmnParser()
    parser.add_dmn_xml(root)
    if decision_id not in parser.dmn_parsers:
        raise EngineError(f"the table has no decision {decision_id!r}")
    engine: DMNEngine = parser.get_engine(decision_id, None)
    return engine


def decide(content: bytes, decision_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The outputs of the first (or unique) matching rule for `data`; {} when no rule matches."""
    script_engine = SandboxScriptEngine(SandboxEnvironment(None, None))
    task = _Task(dict(data), _Workflow(script_engine))
    try:
        result: dict[str, Any] = _engine(content, decision_id).result(task)
    except EngineError:
        raise
    except Exception as exc:
        raise EngineError(f"decision {decision_id!r} failed: {exc}") from exc
    return dict(result)
