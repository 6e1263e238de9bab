"""The Spiff BPMN/DMN parser as we configure it, and mapping its exceptions to Issues."""

from __future__ import annotations

import json
from copy import deepcopy
from functools import lru_cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR as SPIFF_VALIDATOR
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import BusinessRuleTaskParser
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask

from engine.errors import Issue

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}


def defaults_script(defaults: dict[str, Any]) -> str:
    """A post-script giving each declared output its default when the decision table did not give it."""
    lines = []
    for name, value in defaults.items():
        lines += ["try:", f"    {name}", "except Exception:", f"    {name} = {value!r}"]
    return "\n".join(lines)


class DefaultingBusinessRuleTaskParser(BusinessRuleTaskParser):
    """Applies the task's `outputDefaults` property (see engine.interface) after the decision runs."""

    def create_task(self) -> Any:
        task = super().create_task()
        raw = self.parse_extensions().get("properties", {}).get("outputDefaults")
        try:
            defaults = json.loads(raw) if raw else {}
        except ValueError:
            defaults = {}  # reported at deploy by engine.interface.defaults_issues
        if isinstance(defaults, dict) and defaults and all(str(k).isidentifier() for k in defaults):
            script = defaults_script(defaults)
            task.postscript = script + ("\n" + task.postscript if task.postscript else "")
        return task


class EngineParser(SpiffBpmnParser):
    """SpiffBpmnParser that can parse a lone BPMN whose decisions are deployed elsewhere."""

    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        f"{{{BPMN_NS}}}businessRuleTask": (DefaultingBusinessRuleTaskParser, BusinessRuleTask),
    }

    def __init__(self, require_decisions: bool = True) -> None:
        super().__init__()
        self.require_decisions = require_decisions

    def get_engine(self, decision_ref: Any, node: Any) -> Any:
        if not decision_ref:
            raise ValidationException(
                "A business rule task needs spiffworkflow:calledDecisionId", node=node)
        if not self.require_decisions and decision_ref not in self.dmn_parsers:
            return None  # checked again by build_spec, with the DMN files at hand
        return super().get_engine(decision_ref, node)


def line_index(root: etree._Element) -> dict[str, int]:
    """Element id -> source line, for mapping Spiff errors back to the file."""
    index: dict[str, int] = {}
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id and element.sourceline is not None:
            index.setdefault(element_id, element.sourceline)
    return index


def issue_from_exception(exc: Exception, filename: str, lines: dict[str, int]) -> Issue:
    """An Issue for anything the Spiff parser raised."""
    if isinstance(exc, ValidationException):
        element_id = getattr(exc, "id", None) or None
        line = getattr(exc, "line_number", None)
        if not isinstance(line, int) or not line:
            line = lines.get(element_id) if element_id else None
        message = str(exc.args[0]) if exc.args else str(exc)
        return Issue(message, element_id, line, getattr(exc, "file_name", None) or filename)
    return Issue(f"the diagram cannot be parsed: {type(exc).__name__}: {exc}", None, None, filename)


def _schema_issues(schema: etree.XMLSchema, root: etree._Element, filename: str) -> list[Issue]:
    if schema.validate(root):
        return []
    return [
        Issue(f"schema: {error.message}", None, error.line or None, filename)
        for error in schema.error_log  # type: ignore[attr-defined]
    ]


def bpmn_schema_issues(root: etree._Element, filename: str) -> list[Issue]:
    """BPMN 2.0 XSD (with the spiffworkflow extension schema) problems, every one of them."""
    copy = deepcopy(root)  # the validator rewrites correlation expressions in place
    SPIFF_VALIDATOR.preprocess(copy)
    return _schema_issues(SPIFF_VALIDATOR.validator, copy, filename)


@lru_cache(maxsize=8)
def _dmn_schema(namespace: str) -> etree.XMLSchema | None:
    path = DMN_SCHEMAS.get(namespace)
    return BpmnValidator(path).validator if path else None


def dmn_schema_issues(root: etree._Element, filename: str) -> list[Issue]:
    schema = _dmn_schema(etree.QName(root).namespace or "")
    if schema is None:
        return []
    return _schema_issues(schema, root, filename)


def is_dmn_namespace(namespace: str | None) -> bool:
    return bool(namespace) and (namespace in DMN_SCHEMAS or "/DMN/" in (namespace or "").upper())
