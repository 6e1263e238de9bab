"""Deploy-time checks of a BPMN's structure: processes, service tasks, decisions, loops, stores."""

from __future__ import annotations

from lxml import etree

from engine.checks import issue, xpath
from engine.errors import Issue


def executable_processes(root: etree._Element) -> list[etree._Element]:
    return [p for p in xpath(root, "//bpmn:process") if p.get("isExecutable", "true") == "true"]


def check_processes(root: etree._Element, filename: str) -> list[Issue]:
    """Every process has an id; at least one process is executable."""
    processes = xpath(root, "//bpmn:process")
    issues = [issue("process has no id attribute", p, filename) for p in processes if not p.get("id")]
    if not processes:
        issues.append(Issue("the file contains no bpmn:process", None, root.sourceline, filename))
    elif not executable_processes(root):
        issues.append(Issue(
            "no executable process: set isExecutable=\"true\" on the process to deploy",
            None, processes[0].sourceline, filename))
    return issues


def check_service_tasks(root: etree._Element, filename: str) -> list[Issue]:
    return [
        issue("service task has no spiffworkflow:serviceTaskOperator", task, filename)
        for task in xpath(root, "//bpmn:serviceTask")
        if not xpath(task, "./bpmn:extensionElements/spiffworkflow:serviceTaskOperator")
    ]


def check_business_rules(root: etree._Element, filename: str) -> list[Issue]:
    return [
        issue("business rule task has no spiffworkflow:calledDecisionId", task, filename)
        for task in xpath(root, "//bpmn:businessRuleTask")
        if not (called_decision(task) or "").strip()
    ]


def check_call_activities(root: etree._Element, filename: str) -> list[Issue]:
    return [
        issue("call activity has no calledElement", call, filename)
        for call in xpath(root, "//bpmn:callActivity") if not call.get("calledElement")
    ]


def check_loops(root: etree._Element, filename: str) -> list[Issue]:
    issues = []
    for loop in xpath(root, "//bpmn:multiInstanceLoopCharacteristics"):
        if not xpath(loop, "./bpmn:loopCardinality | ./bpmn:loopDataInputRef"):
            issues.append(issue(
                "multi-instance activity needs a loopCardinality or a loopDataInputRef", loop, filename))
    for loop in xpath(root, "//bpmn:standardLoopCharacteristics"):
        if not xpath(loop, "./bpmn:loopCondition") and loop.get("loopMaximum") is None:
            issues.append(issue("loop needs a loopCondition or a loopMaximum", loop, filename))
    return issues


def check_unsupported(root: etree._Element, filename: str) -> list[Issue]:
    """Elements this engine refuses outright, with a reason a modeller can act on."""
    refused = {
        "dataStore": "data stores are not supported; keep data in process variables",
        "dataStoreReference": "data stores are not supported; keep data in process variables",
        "complexGateway": "complex gateways are not supported",
    }
    issues = []
    for name, message in refused.items():
        issues += [issue(message, el, filename) for el in xpath(root, f"//bpmn:{name}")]
    return issues


def called_decision(task: etree._Element) -> str | None:
    found = xpath(task, "./bpmn:extensionElements/spiffworkflow:calledDecisionId")
    return found[0].text if found else None


def called_decisions(root: etree._Element) -> list[str]:
    names = (called_decision(task) for task in xpath(root, "//bpmn:businessRuleTask"))
    return sorted({name.strip() for name in names if name and name.strip()})


def called_processes(root: etree._Element) -> list[str]:
    return sorted({c.get("calledElement") for c in xpath(root, "//bpmn:callActivity")
                   if c.get("calledElement")})
