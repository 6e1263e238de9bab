"""inspect_diagram: full deploy-time validation of one BPMN or DMN file."""

from __future__ import annotations

from lxml import etree

from engine import busy_loops, checks, dmn_checks, interface, structure
from engine.errors import DiagramInvalid, Issue
from engine.memo import ContentMemo, digest
from engine.model import DiagramInfo
from engine.parser import (
    BPMN_NS,
    EngineParser,
    bpmn_schema_issues,
    dmn_schema_issues,
    is_dmn_namespace,
    issue_from_exception,
    line_index,
)
from engine.safexml import parse_xml

BPMN_CHECKS: tuple[checks.Check, ...] = (
    structure.check_processes, structure.check_service_tasks, structure.check_business_rules,
    structure.check_call_activities, structure.check_loops, structure.check_unsupported,
    checks.check_extensions, checks.check_scripts, checks.check_timers, checks.check_forms,
    interface.defaults_issues,
    busy_loops.check_busy_loops,
)


_INSPECTED: ContentMemo[DiagramInfo] = ContentMemo(256)  # a file checked once per process (engine/memo.py)


def inspect_diagram(filename: str, content: bytes) -> DiagramInfo:
    """Validate a BPMN or DMN file; raise DiagramInvalid listing every issue found.

    Never raises anything else, whatever the bytes.
    """
    try:
        return _INSPECTED.get((filename, digest(content)), lambda: _inspect(filename, content))
    except DiagramInvalid:
        raise
    except Exception as exc:  # the promise to callers: only DiagramInvalid escapes
        message = f"the diagram cannot be read: {type(exc).__name__}: {exc}"
        raise DiagramInvalid([Issue(message, None, None, filename)]) from exc


def parse_root(filename: str, content: bytes) -> etree._Element:
    root, issues = parse_xml(filename, content)
    if root is None:
        raise DiagramInvalid(issues)
    return root


def _inspect(filename: str, content: bytes) -> DiagramInfo:
    root = parse_root(filename, content)
    namespace = etree.QName(root).namespace
    if namespace == BPMN_NS and etree.QName(root).localname == "definitions":
        return _inspect_bpmn(root, filename)
    if is_dmn_namespace(namespace) and etree.QName(root).localname == "definitions":
        return _inspect_dmn(root, filename)
    raise DiagramInvalid([Issue(
        f"not a BPMN 2.0 or DMN document (root element is {root.tag})", None, root.sourceline, filename)])


def bpmn_issues(root: etree._Element, filename: str) -> list[Issue]:
    """Every issue of a BPMN tree: schema, our checks, then Spiff's own parse of each process."""
    issues = bpmn_schema_issues(root, filename)
    for check in BPMN_CHECKS:
        issues += check(root, filename)
    reported = {found.element_id for found in issues if found.element_id}
    for found in spiff_parse_issues(root, filename):
        # Spiff stops at the first error of a process, often one we already explained.
        if found.element_id is None or found.element_id not in reported:
            issues.append(found)
    return issues


def spiff_parse_issues(root: etree._Element, filename: str) -> list[Issue]:
    lines = line_index(root)
    parser = EngineParser(require_decisions=False)
    try:
        parser.add_bpmn_xml(root, filename)
    except Exception as exc:
        return [issue_from_exception(exc, filename, lines)]
    issues = []
    for process_id in parser.get_process_ids():
        try:
            parser.get_spec(process_id)
        except Exception as exc:
            issues.append(issue_from_exception(exc, filename, lines))
    return issues


def _inspect_bpmn(root: etree._Element, filename: str) -> DiagramInfo:
    issues = bpmn_issues(root, filename)
    if issues:
        raise DiagramInvalid(issues)
    return DiagramInfo(
        kind="bpmn",
        ids=[p.get("id") or "" for p in structure.executable_processes(root)],
        called_decisions=structure.called_decisions(root),
        called_processes=structure.called_processes(root),
    )


def dmn_issues(root: etree._Element, filename: str) -> list[Issue]:
    issues = dmn_schema_issues(root, filename) + dmn_checks.check_decisions(root, filename)
    if issues:
        return issues
    parser = EngineParser()
    try:
        parser.add_dmn_xml(root, filename)
        for dmn_parser in parser.dmn_parsers.values():
            dmn_parser.parse()
    except Exception as exc:
        issues.append(issue_from_exception(exc, filename, line_index(root)))
    return issues


def _inspect_dmn(root: etree._Element, filename: str) -> DiagramInfo:
    issues = dmn_issues(root, filename)
    if issues:
        raise DiagramInvalid(issues)
    return DiagramInfo(kind="dmn", ids=dmn_checks.decision_ids(root))
