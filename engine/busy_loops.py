"""Deploy check: a loop of sequence flows must pass through a wait state.

A cycle of script tasks, service tasks, gateways and throw events runs without end inside one
engine step (SpiffWorkflow recurses once per element, so it ends in a RecursionError after about a
thousand turns, with the worker's CPU spent). A cycle that waits — a user task, a receive task, a
catch event, an event-based gateway, a called process — is a loop people or time drive, and is fine.

A loop over a short list (one turn per item) may stay busy when one of its elements declares its
bound: the spiffworkflow property `loopMaximum` (1..MAX_DECLARED), which the designer must justify.
"""
from __future__ import annotations

from lxml import etree

from engine.checks import issue, xpath
from engine.errors import Issue

WAITING = frozenset({"userTask", "manualTask", "receiveTask", "intermediateCatchEvent", "eventBasedGateway",
                     "boundaryEvent", "callActivity"})
MAX_DECLARED = 100
LOOP_MAXIMUM = "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property[@name='loopMaximum']"
CONTAINERS = "//bpmn:process | //bpmn:subProcess | //bpmn:transaction | //bpmn:adHocSubProcess"
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _waits(node: etree._Element) -> bool:
    kind = _local(node)
    if kind in WAITING:
        return True
    if kind in SUBPROCESSES:
        return any(_local(inner) in WAITING for inner in node.iter() if isinstance(inner.tag, str))
    return False


def _busy_cycle_nodes(container: etree._Element) -> list[etree._Element]:
    """Flow nodes of `container` that lie on (or between) cycles without a wait state."""
    nodes = {n.get("id"): n for n in container if isinstance(n.tag, str) and n.get("id")
             and _local(n) != "sequenceFlow" and not _waits(n)}
    edges: dict[str, set[str]] = {key: set() for key in nodes if key}
    for flow in container:
        if isinstance(flow.tag, str) and _local(flow) == "sequenceFlow":
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            if source in edges and target in edges:
                edges[source].add(target)  # type: ignore[index]
    changed = True
    while changed:  # peel off nodes nothing enters or nothing leaves: what stays is cyclic
        incoming = {target for targets in edges.values() for target in targets}
        removable = {key for key, targets in edges.items() if not targets or key not in incoming}
        changed = bool(removable)
        edges = {key: targets - removable for key, targets in edges.items() if key not in removable}
    return [nodes[key] for key in edges]


def _declared_bound(nodes: list[etree._Element]) -> bool:
    for node in nodes:
        for prop in xpath(node, LOOP_MAXIMUM):
            value = prop.get("value") or ""
            if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_DECLARED:
                return True
    return False


def check_busy_loops(root: etree._Element, filename: str) -> list[Issue]:
    issues = []
    for container in xpath(root, CONTAINERS):
        cyclic = _busy_cycle_nodes(container)
        if cyclic and not _declared_bound(cyclic):
            names = ", ".join(sorted(str(node.get("id")) for node in cyclic))
            issues.append(issue(
                f"цикл без ожидания ({names}): процесс зациклится за один шаг; добавьте в цикл задачу "
                f"пользователя, таймер или сообщение (или объявите loopMaximum до {MAX_DECLARED} для обхода короткого "
                "списка)", cyclic[0], filename))
    return issues
