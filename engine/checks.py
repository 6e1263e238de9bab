"""Deploy-time checks of a BPMN tree that the Spiff parser does not make (or makes silently).

Each check takes the root element and returns Issues; none of them raises.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import jsonschema
from lxml import etree

from engine.errors import Issue
from engine.forms import FORM_PROPERTY
from engine.isotime import check_timer_value
from engine.parser import NS, SPIFF_NS
from engine.sandbox import Mode, check_source

# Extension elements the spiff parser (or this engine) actually reads; anything else in the
# spiffworkflow namespace is a typo the library would silently ignore.
SPIFF_ELEMENTS = frozenset({
    "properties", "property", "preScript", "postScript", "serviceTaskOperator", "parameters",
    "parameter", "retry", "messagePayload", "messageVariable", "processVariableCorrelation",
    "propertyId", "expression", "calledDecisionId", "variableName", "payloadExpression",
    "unitTests", "unitTest", "inputJson", "expectedOutputJson", "taskMetadataValues",
    "taskMetadataValue", "instructionsForEndUser", "category",
})
REQUIRED_ATTRIBUTES = {
    "property": ("name", "value"),
    "serviceTaskOperator": ("id",),
    "parameter": ("id", "type", "value"),
    "taskMetadataValue": ("name",),
}
_ISO_BARE = re.compile(
    r"^(R\d*/|P(\d+[YMWD]|T\d)|\d{4}-\d{2}-\d{2}|\d{4}-?W\d{2})", re.IGNORECASE)
TIMER_KINDS = {"timeDate": "date", "timeDuration": "duration", "timeCycle": "cycle"}
Check = Callable[[etree._Element, str], list[Issue]]


def owner_id(element: etree._Element) -> str | None:
    """The id of the nearest element (itself or an ancestor) that has one."""
    current: etree._Element | None = element
    while current is not None:
        if current.get("id"):
            return current.get("id")
        current = current.getparent()
    return None


def issue(message: str, element: etree._Element, filename: str) -> Issue:
    return Issue(message, owner_id(element), element.sourceline, filename)


def xpath(root: etree._Element, path: str) -> list[etree._Element]:
    return [e for e in root.xpath(path, namespaces=NS) if isinstance(e, etree._Element)]


def script_issues(text: str | None, mode: Mode, what: str, element: etree._Element,
                  filename: str) -> list[Issue]:
    if text is None or not text.strip():
        return [issue(f"{what} is empty", element, filename)]
    source = text.strip() if mode == "eval" else text
    base = element.sourceline or 0
    issues = []
    for message, line in check_source(source, mode):
        found = issue(f"{what}: {message}", element, filename)
        at = base + line - 1 if base and line and mode == "exec" else found.line
        issues.append(Issue(found.message, found.element_id, at, filename))
    return issues


def _expressions(root: etree._Element) -> Iterator[tuple[etree._Element, str | None, Mode, str]]:
    for el in xpath(root, "//bpmn:scriptTask/bpmn:script"):
        yield el, el.text, "exec", "script"
    for name in ("preScript", "postScript"):
        for el in xpath(root, f"//spiffworkflow:{name}"):
            yield el, el.text, "exec", name
    singles = {
        "//bpmn:sequenceFlow/bpmn:conditionExpression": "condition",
        "//bpmn:conditionalEventDefinition/bpmn:condition": "condition",
        "//bpmn:loopCardinality": "loop cardinality",
        "//bpmn:completionCondition": "completion condition",
        "//bpmn:loopCondition": "loop condition",
        "//spiffworkflow:messagePayload": "message payload",
        "//spiffworkflow:payloadExpression": "payload expression",
        "//bpmn:correlationPropertyRetrievalExpression/*": "correlation retrieval expression",
        "//spiffworkflow:processVariableCorrelation/spiffworkflow:expression": "correlation expression",
    }
    for path, what in singles.items():
        for el in xpath(root, path):
            yield el, el.text, "eval", what
    for el in xpath(root, "//spiffworkflow:parameter[@value]"):
        yield el, el.get("value"), "eval", f"service parameter '{el.get('id')}'"


def check_scripts(root: etree._Element, filename: str) -> list[Issue]:
    """Syntax and sandbox rules for every script and expression in the diagram."""
    issues: list[Issue] = []
    for element, text, mode, what in _expressions(root):
        issues += script_issues(text, mode, what, element, filename)
    return issues


def _timer_issues(element: etree._Element, filename: str) -> list[Issue]:
    kind = TIMER_KINDS[etree.QName(element).localname]
    text = (element.text or "").strip()
    if _ISO_BARE.match(text):
        return [issue(f"timer {kind} {text} is a Python expression and must be quoted: '{text}'",
                      element, filename)]
    problems = script_issues(text, "eval", f"timer {kind}", element, filename)
    if problems:
        return problems
    body = ast.parse(text, mode="eval").body
    if isinstance(body, ast.Constant):
        try:
            check_timer_value(kind, body.value, datetime.now(UTC))
        except ValueError as exc:
            return [issue(f"timer {kind}: {exc}", element, filename)]
    return []


def check_timers(root: etree._Element, filename: str) -> list[Issue]:
    """Timer expressions must yield ISO 8601 dates, durations or cycles."""
    issues: list[Issue] = []
    for definition in xpath(root, "//bpmn:timerEventDefinition"):
        values = [c for c in definition if isinstance(c.tag, str)
                  and etree.QName(c).localname in TIMER_KINDS]
        if not values:
            issues.append(issue("timer has no timeDate, timeDuration or timeCycle", definition, filename))
        for value in values:
            issues += _timer_issues(value, filename)
    return issues


def check_extensions(root: etree._Element, filename: str) -> list[Issue]:
    """Unknown or misspelled spiffworkflow:* elements and missing required attributes."""
    issues = []
    for element in root.iter(f"{{{SPIFF_NS}}}*"):
        name = etree.QName(element).localname
        if name not in SPIFF_ELEMENTS:
            close = difflib.get_close_matches(name, SPIFF_ELEMENTS, n=1)
            hint = f" (did you mean spiffworkflow:{close[0]}?)" if close else ""
            issues.append(issue(f"unknown extension element spiffworkflow:{name}{hint}", element, filename))
        for attribute in REQUIRED_ATTRIBUTES.get(name, ()):
            if element.get(attribute) is None:
                issues.append(issue(f"spiffworkflow:{name} needs a '{attribute}' attribute", element, filename))
    return issues


def _form_issue(text: str) -> str | None:
    try:
        schema = json.loads(text)
    except ValueError as exc:
        return f"{FORM_PROPERTY} is not valid JSON: {exc}"
    if not isinstance(schema, dict):
        return f"{FORM_PROPERTY} must be a JSON object"
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        return f"{FORM_PROPERTY} is not a valid JSON Schema: {exc.message}"
    return None


def check_forms(root: etree._Element, filename: str) -> list[Issue]:
    """formJsonSchema properties must hold a valid JSON Schema."""
    issues = []
    for prop in xpath(root, f"//spiffworkflow:property[@name='{FORM_PROPERTY}']"):
        problem = _form_issue(prop.get("value") or "")
        if problem:
            issues.append(issue(problem, prop, filename))
    return issues
