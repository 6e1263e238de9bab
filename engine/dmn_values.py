"""Every rule's output values of a decision table, evaluated as the engine would for that rule's inputs."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from lxml import etree


@dataclass(frozen=True)
class RuleOutput:
    decision_id: str
    rule_id: str
    line: int | None
    output: str
    value: Any = None
    error: str | None = None  # the output entry cannot be evaluated


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _text(entry: etree._Element) -> str:
    found = _children(entry, "text")
    return (found[0].text or "").strip() if found else ""


def _literal(text: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _rule_inputs(table: etree._Element, rule: etree._Element) -> dict[str, Any]:
    """The input values the rule names literally (e.g. "elevator" for the category): its own inputs."""
    names = []
    for column in _children(table, "input"):
        expression = _children(column, "inputExpression")
        names.append(_text(expression[0]) if expression else "")
    context: dict[str, Any] = {}
    for name, entry in zip(names, _children(rule, "inputEntry"), strict=False):
        ok, value = _literal(_text(entry))
        if ok and name.isidentifier():
            context[name] = value
    return context


def _evaluate(text: str, context: dict[str, Any]) -> tuple[Any, str | None]:
    ok, value = _literal(text)
    if ok:
        return value, None
    from engine.script_engine import SandboxEnvironment

    try:
        return SandboxEnvironment(None, None).evaluate(text, dict(context)), None
    except Exception as exc:  # whatever the expression does wrong is the designer's to see
        return None, f"{type(exc).__name__}: {exc}"


def rule_outputs(root: etree._Element) -> list[RuleOutput]:
    found = []
    for decision in root.iter():
        if not isinstance(decision.tag, str) or etree.QName(decision).localname != "decision":
            continue
        for table in [t for t in decision.iter() if isinstance(t.tag, str)
                      and etree.QName(t).localname == "decisionTable"]:
            outputs = [o.get("name") or "" for o in _children(table, "output")]
            for rule in _children(table, "rule"):
                context = _rule_inputs(table, rule)
                for name, entry in zip(outputs, _children(rule, "outputEntry"), strict=False):
                    text = _text(entry)
                    if not name or text in ("", "-"):
                        continue
                    value, error = _evaluate(text, context)
                    found.append(RuleOutput(decision.get("id") or "", rule.get("id") or "", rule.sourceline,
                                            name, value, error))
    return found


def read_rule_outputs(filename: str, content: bytes) -> list[RuleOutput]:
    from engine.interface import _root

    return rule_outputs(_root(filename, content))
