"""What a process needs from the decision tables and operations it calls, read from the files.

A process reads names in its expressions (conditions, parameters, scripts, timers, task properties).
The names that a called decision table gives are what the process needs from that table, unless the
business rule task declares a default for them (property `outputDefaults`, a JSON object: output name →
value used when the table does not give it). Service tasks need their operation to exist, to accept
the parameters they pass and to return the keys they later read from the result variable.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine.checks import issue, xpath
from engine.errors import Issue
from engine.parser import BPMN_NS

DEFAULTS_PROPERTY = "outputDefaults"
EXPRESSION_PROPERTIES = frozenset({"organization", "dueAt", "roles"})


@dataclass(frozen=True)
class Read:
    """A place where a process reads a name: the element and its line."""

    element_id: str
    line: int | None


@dataclass(frozen=True)
class DecisionCall:
    element_id: str
    line: int | None
    decision_id: str
    defaults: Mapping[str, object]


@dataclass(frozen=True)
class ServiceCallSite:
    element_id: str
    line: int | None
    operation: str
    params: tuple[str, ...]
    result_variable: str | None
    values: tuple[tuple[str, str], ...] = ()  # (parameter, expression) as written


@dataclass(frozen=True)
class OperationInterface:
    """What an operation accepts and returns (`result_keys` None: not a mapping, or not declared)."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    result_keys: frozenset[str] | None = None
    value_kinds: Mapping[str, str] = field(default_factory=dict)  # parameter -> kind of value (e.g. "duration")


@dataclass
class ProcessNeeds:
    """Everything one BPMN file reads and calls."""

    filename: str
    reads: dict[str, list[Read]] = field(default_factory=dict)
    keys_read: dict[str, dict[str, list[Read]]] = field(default_factory=dict)  # variable -> key -> reads
    decisions: list[DecisionCall] = field(default_factory=list)
    services: list[ServiceCallSite] = field(default_factory=list)


def _flow_element(element: etree._Element) -> etree._Element:
    """The nearest BPMN element with an id (a task, flow or event), skipping extension elements."""
    current: etree._Element | None = element
    while current is not None:
        if current.get("id") and etree.QName(current).namespace == BPMN_NS:
            return current
        current = current.getparent()
    return element


def _sources(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    from engine.checks import _expressions  # the same expressions the deploy checks read

    for element, text, mode, _what in _expressions(root):
        if text and text.strip():
            yield element, text if mode == "exec" else text.strip(), mode
    for element in xpath(root, "//bpmn:timeDate | //bpmn:timeDuration | //bpmn:timeCycle"):
        if element.text and element.text.strip():
            yield element, element.text.strip(), "eval"
    for prop in xpath(root, "//spiffworkflow:property[@value]"):
        if prop.get("name") in EXPRESSION_PROPERTIES:
            yield prop, (prop.get("value") or "").strip(), "eval"


def _names_and_keys(source: str, mode: str) -> tuple[set[str], set[tuple[str, str]]]:
    try:
        tree = ast.parse(source, mode=mode)
    except (SyntaxError, ValueError):
        return set(), set()  # reported by the syntax checks
    names: set[str] = set()
    keys: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            keys.add((node.value.id, node.slice.value))
    return names, keys


def _defaults(task: etree._Element) -> dict[str, object]:
    for prop in xpath(task, f".//spiffworkflow:property[@name='{DEFAULTS_PROPERTY}']"):
        try:
            value = json.loads(prop.get("value") or "")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def defaults_issues(root: etree._Element, filename: str) -> list[Issue]:
    """`outputDefaults` must be a JSON object of plain names."""
    issues = []
    for prop in xpath(root, f"//bpmn:businessRuleTask//spiffworkflow:property[@name='{DEFAULTS_PROPERTY}']"):
        try:
            value = json.loads(prop.get("value") or "")
        except ValueError as exc:
            issues.append(issue(f"{DEFAULTS_PROPERTY}: не JSON ({exc})", _flow_element(prop), filename))
            continue
        if not isinstance(value, dict) or not all(isinstance(k, str) and k.isidentifier() for k in value):
            issues.append(issue(f"{DEFAULTS_PROPERTY}: нужен объект JSON вида {{\"выход\": значение}}",
                                _flow_element(prop), filename))
    return issues


def process_needs(root: etree._Element, filename: str) -> ProcessNeeds:
    needs = ProcessNeeds(filename)
    for element, source, mode in _sources(root):
        owner = _flow_element(element)
        where = Read(owner.get("id") or "", element.sourceline)
        names, keys = _names_and_keys(source, mode)
        for name in names:
            needs.reads.setdefault(name, []).append(where)
        for variable, key in keys:
            needs.keys_read.setdefault(variable, {}).setdefault(key, []).append(where)
    for task in xpath(root, "//bpmn:businessRuleTask"):
        called = xpath(task, "./bpmn:extensionElements/spiffworkflow:calledDecisionId")
        if called and (called[0].text or "").strip():
            needs.decisions.append(DecisionCall(task.get("id") or "", task.sourceline,
                                                (called[0].text or "").strip(), _defaults(task)))
    for task in xpath(root, "//bpmn:serviceTask"):
        for operator in xpath(task, "./bpmn:extensionElements/spiffworkflow:serviceTaskOperator"):
            found = xpath(operator, ".//spiffworkflow:parameter")
            params = tuple(p.get("id") or "" for p in found)
            needs.services.append(ServiceCallSite(task.get("id") or "", task.sourceline, operator.get("id") or "",
                                                  params, operator.get("resultVariable") or None,
                                                  tuple((p.get("id") or "", p.get("value") or "") for p in found)))
    return needs


@dataclass(frozen=True)
class DecisionOutputs:
    """The outputs one deployed decision table gives."""

    filename: str
    decision_id: str
    element_id: str
    line: int | None
    outputs: frozenset[str]


def decision_outputs(root: etree._Element, filename: str) -> list[DecisionOutputs]:
    found = []
    for decision in root.iter():
        if not isinstance(decision.tag, str) or etree.QName(decision).localname != "decision":
            continue
        names = frozenset(o.get("name") or "" for o in decision.iter()
                          if isinstance(o.tag, str) and etree.QName(o).localname == "output" and o.get("name"))
        found.append(DecisionOutputs(filename, decision.get("id") or "", decision.get("id") or "",
                                     decision.sourceline, names))
    return found


def _root(filename: str, content: bytes) -> etree._Element:
    from engine.safexml import parse_xml

    root, issues = parse_xml(filename, content)
    if root is None:
        from engine.errors import DiagramInvalid

        raise DiagramInvalid(issues)
    return root


def read_process_needs(filename: str, content: bytes) -> ProcessNeeds:
    """process_needs of a BPMN file given as bytes (raises DiagramInvalid if it is not XML)."""
    return process_needs(_root(filename, content), filename)


def read_decision_outputs(filename: str, content: bytes) -> list[DecisionOutputs]:
    return decision_outputs(_root(filename, content), filename)
