"""Deploy-time checks of DMN decision tables: expressions and unary tests."""

from __future__ import annotations

from lxml import etree

from engine.checks import issue, script_issues
from engine.errors import Issue
from engine.sandbox import check_source

HIT_POLICIES = frozenset({"UNIQUE", "FIRST", "COLLECT", "PRIORITY", "ANY", "RULE ORDER", "OUTPUT ORDER"})


def _local(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name]


def _text_of(element: etree._Element) -> etree._Element | None:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == "text":
            return child
    return None


def decision_ids(root: etree._Element) -> list[str]:
    return [d.get("id") or "" for d in _local(root, "decision")]


def _unary_test_issues(entry: etree._Element, input_expr: str, filename: str) -> list[Issue]:
    text_node = _text_of(entry)
    text = text_node.text or "" if text_node is not None else ""
    if text.strip() in ("", "-"):
        return []
    # Mirrors Spiff's DMNEngine: '?' stands for the input value; a cell that is not an
    # expression by itself is appended to the input expression as written (no space added).
    candidates = (
        [text.replace("?", "dmninputexpr")] if "?" in text else [text.strip(), f"{input_expr}{text}"]
    )
    results = [check_source(source, "eval") for source in candidates]
    glued = input_expr[-1:].isidentifier() or input_expr[-1:].isalnum()
    if results[0] and "?" not in text and glued and (text[:1].isalnum() or text[:1] == "_"):
        return [issue(f"input entry {text.strip()!r} would be read as {input_expr + text!r}; "
                      f"write it with '?' for the input value, e.g. '? {text.strip()}'", entry, filename)]
    usable = [problems for problems in results if not problems or not problems[0][0].startswith("syntax")]
    if usable and not usable[0]:
        return []
    message = (usable or results)[0][0][0]
    hint = " (write the test with '?' for the input value, e.g. ? in (\"a\", \"b\"))"
    return [issue(f"input entry {text.strip()!r}: {message}{hint}", entry, filename)]


def _input_expressions(table: etree._Element) -> list[str]:
    found = []
    for expression in _local(table, "inputExpression"):
        text_node = _text_of(expression)
        found.append((text_node.text or "") if text_node is not None else "")
    return found


def _rule_issues(table: etree._Element, filename: str) -> list[Issue]:
    inputs = _input_expressions(table)
    issues: list[Issue] = []
    for rule in _local(table, "rule"):
        entries = [e for e in rule if isinstance(e.tag, str) and etree.QName(e).localname == "inputEntry"]
        for index, entry in enumerate(entries):
            if index >= len(inputs):
                issues.append(issue("rule has more input entries than the table has inputs", entry, filename))
                break
            issues += _unary_test_issues(entry, inputs[index], filename)
    return issues


def check_decisions(root: etree._Element, filename: str) -> list[Issue]:
    """One decision per file with a decision table and well-formed, sandbox-safe cells."""
    issues: list[Issue] = []
    decisions = _local(root, "decision")
    if not decisions:
        issues.append(Issue("the DMN file contains no decision", None, root.sourceline, filename))
    if len(decisions) > 1:
        issues.append(issue("only one decision per DMN file is supported", decisions[1], filename))
    for decision in decisions:
        if not decision.get("id"):
            issues.append(issue("decision has no id attribute", decision, filename))
        if not _local(decision, "decisionTable"):
            issues.append(issue("decision has no decision table", decision, filename))
    for table in _local(root, "decisionTable"):
        if (table.get("hitPolicy") or "UNIQUE").upper() not in HIT_POLICIES:
            issues.append(issue(f"unknown hit policy {table.get('hitPolicy')}", table, filename))
    for expression in _local(root, "inputExpression"):
        text_node = _text_of(expression)
        text = text_node.text if text_node is not None else None
        issues += script_issues(text, "eval", "input expression", expression, filename)
    for table in _local(root, "decisionTable"):
        issues += _rule_issues(table, filename)
    for entry in _local(root, "outputEntry"):
        text_node = _text_of(entry)
        if text_node is not None and (text_node.text or "").strip():
            issues += script_issues(text_node.text, "eval", "output entry", entry, filename)
    return issues
