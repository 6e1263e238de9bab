"""Diagram interchange (DI) for BPMN files that have none, so a browser modeler can draw them.

A layered left-to-right layout: each flow node's column is its longest path from a start (back
edges ignored), each lane a horizontal band, nodes sharing a lane and column stacked in rows,
boundary events on their host's lower edge. Only bpmndi elements are added: the text before the
closing tag of the document is kept byte for byte, so process semantics cannot change.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from lxml import etree

from engine.errors import DiagramInvalid
from engine.parser import BPMN_NS
from engine.safexml import parse_xml

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
COLUMN, ROW, LEFT, POOL_HEADER = 170, 130, 80, 30
SIZES = {"event": (36, 36), "gateway": (50, 50), "activity": (100, 80)}
SKIP = {"sequenceFlow", "laneSet", "boundaryEvent", "dataObject", "dataObjectReference", "dataStoreReference",
        "textAnnotation", "association", "documentation", "extensionElements", "ioSpecification", "property",
        "dataInputAssociation", "dataOutputAssociation", "group", "category", "correlationSubscription"}
_CLOSING = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?definitions\s*>\s*$")


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> tuple[float, float]:
        return self.x + self.w, self.y + self.h / 2

    @property
    def left(self) -> tuple[float, float]:
        return self.x, self.y + self.h / 2

    @property
    def bottom(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _size(kind: str) -> tuple[int, int]:
    if kind.endswith("Event"):
        return SIZES["event"]
    if kind.endswith("Gateway"):
        return SIZES["gateway"]
    return SIZES["activity"]


def _bpmn(root: etree._Element, path: str) -> list[etree._Element]:
    return [e for e in root.xpath(path, namespaces={"bpmn": BPMN_NS}) if isinstance(e, etree._Element)]


def has_diagram(root: etree._Element) -> bool:
    return bool(root.xpath("//*[local-name()='BPMNShape']"))


def _columns(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources, ignoring the edges that close a cycle."""
    outgoing: dict[str, list[str]] = defaultdict(list)
    incoming = {n: 0 for n in nodes}
    for source, target in edges:
        if source in incoming and target in incoming:
            outgoing[source].append(target)
            incoming[target] += 1
    forward: dict[str, list[str]] = defaultdict(list)
    state: dict[str, int] = {}
    order: list[str] = []

    def visit(node: str) -> None:
        stack = [(node, iter(outgoing[node]))]
        state[node] = 1
        while stack:
            current, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[current] = 2
                order.append(current)
                stack.pop()
            elif state.get(child) is None:
                forward[current].append(child)
                state[child] = 1
                stack.append((child, iter(outgoing[child])))
            elif state[child] == 2:
                forward[current].append(child)

    for node in [n for n in nodes if incoming[n] == 0] + nodes:
        if node not in state:
            visit(node)
    column = {n: 0 for n in nodes}
    for node in reversed(order):
        for child in forward[node]:
            column[child] = max(column[child], column[node] + 1)
    return column


class _ProcessLayout:
    def __init__(self, process: etree._Element, top: float) -> None:
        self.process = process
        self.kinds = {e.get("id", ""): _local(e) for e in process
                      if isinstance(e.tag, str) and _local(e) not in SKIP and e.get("id")}
        self.boundaries = {e.get("id", ""): e.get("attachedToRef", "") for e in _bpmn(process, "./bpmn:boundaryEvent")}
        self.flows = [(f.get("id", ""), f.get("sourceRef", ""), f.get("targetRef", ""))
                      for f in _bpmn(process, "./bpmn:sequenceFlow")]
        self.lanes = [(lane.get("id", ""), [ref.text or "" for ref in _bpmn(lane, "./bpmn:flowNodeRef")])
                      for lane in _bpmn(process, "./bpmn:laneSet/bpmn:lane")]
        self.top = top
        self.boxes: dict[str, Box] = {}
        self.lane_boxes: dict[str, Box] = {}

    def _lane_of(self) -> dict[str, str]:
        lane_of = {node: lane_id for lane_id, refs in self.lanes for node in refs}
        default = self.lanes[0][0] if self.lanes else ""
        return {node: lane_of.get(node, default) for node in self.kinds}

    def place(self) -> Box:
        edges = [(self.boundaries.get(s, s), t) for _, s, t in self.flows]
        columns = _columns(list(self.kinds), edges)
        lane_of = self._lane_of()
        lane_ids = [lane_id for lane_id, _ in self.lanes] or [""]
        cells: dict[tuple[str, int], list[str]] = defaultdict(list)
        for node in sorted(self.kinds, key=lambda n: columns[n]):
            cells[(lane_of[node], columns[node])].append(node)
        y = self.top
        width = (max(columns.values(), default=0) + 1) * COLUMN + 40
        for lane_id in lane_ids:
            rows = max([len(v) for (lane, _), v in cells.items() if lane == lane_id] or [1])
            for (lane, column), members in cells.items():
                if lane == lane_id:
                    for row, node in enumerate(members):
                        w, h = _size(self.kinds[node])
                        cx, cy = LEFT + POOL_HEADER + 40 + column * COLUMN, y + ROW / 2 + row * ROW
                        self.boxes[node] = Box(cx - w / 2, cy - h / 2, w, h)
            self.lane_boxes[lane_id] = Box(LEFT + POOL_HEADER, y, width, rows * ROW)
            y += rows * ROW
        self._place_boundaries()
        return Box(LEFT, self.top, width + POOL_HEADER, y - self.top)

    def _place_boundaries(self) -> None:
        seen: dict[str, int] = defaultdict(int)
        for event_id, host in self.boundaries.items():
            box = self.boxes.get(host)
            if box is None:
                continue
            k = seen[host]
            seen[host] += 1
            self.boxes[event_id] = Box(box.x + 6 + k * 42, box.y + box.h - 18, 36, 36)

    def edges(self) -> list[tuple[str, list[tuple[float, float]]]]:
        found = []
        for flow_id, source, target in self.flows:
            a, b = self.boxes.get(source), self.boxes.get(target)
            if a is None or b is None:
                continue
            found.append((flow_id, _route(a, b, source in self.boundaries)))
        return found


def _route(a: Box, b: Box, from_boundary: bool) -> list[tuple[float, float]]:
    if from_boundary:
        start = a.bottom
        end = b.left if b.x > start[0] else b.bottom
        return [start, (start[0], end[1]), end] if end == b.left else [start, (start[0], end[1] + 30),
                                                                       (end[0], end[1] + 30), end]
    start, end = a.right, b.left
    if b.x > a.x + a.w:
        if start[1] == end[1]:
            return [start, end]
        middle = (start[0] + end[0]) / 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    below = max(a.y + a.h, b.y + b.h) + 25
    return [a.bottom, (a.bottom[0], below), (b.bottom[0], below), b.bottom]


def _shape(element_id: str, box: Box, extra: str = "") -> str:
    return (f'<bpmndi:BPMNShape id={quoteattr(element_id + "_di")} bpmnElement={quoteattr(element_id)}{extra}>'
            f'<dc:Bounds x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}"/></bpmndi:BPMNShape>')


def _edge(element_id: str, points: list[tuple[float, float]]) -> str:
    waypoints = "".join(f'<di:waypoint x="{x:g}" y="{y:g}"/>' for x, y in points)
    return (f'<bpmndi:BPMNEdge id={quoteattr(element_id + "_di")} bpmnElement={quoteattr(element_id)}>'
            f"{waypoints}</bpmndi:BPMNEdge>")


def _diagram_xml(root: etree._Element) -> str:
    participants = {p.get("processRef"): p.get("id") for p in _bpmn(root, "//bpmn:collaboration/bpmn:participant")}
    collaboration = _bpmn(root, "//bpmn:collaboration")
    processes = _bpmn(root, "/bpmn:definitions/bpmn:process")
    parts: list[str] = []
    top = 60.0
    for process in processes:
        layout = _ProcessLayout(process, top)
        pool = layout.place()
        participant = participants.get(process.get("id"))
        if participant:
            parts.append(_shape(participant, pool, ' isHorizontal="true"'))
            lanes = layout.lane_boxes.items()
            parts += [_shape(lane_id, box, ' isHorizontal="true"') for lane_id, box in lanes if lane_id]
        parts += [_shape(node, box) for node, box in layout.boxes.items()]
        parts += [_edge(flow_id, points) for flow_id, points in layout.edges()]
        top += pool.h + 60
    plane_of = collaboration[0].get("id") if collaboration and participants else (
        processes[0].get("id") if processes else "")
    return (f'  <bpmndi:BPMNDiagram xmlns:bpmndi="{BPMNDI_NS}" xmlns:dc="{DC_NS}" xmlns:di="{DI_NS}" '
            'id="otklik_layout">\n'
            f'    <bpmndi:BPMNPlane id="otklik_layout_plane" bpmnElement={quoteattr(plane_of or "")}>\n'
            + "".join(f"      {part}\n" for part in parts) + "    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n")


def with_diagram(content: bytes, filename: str = "diagram.bpmn") -> bytes:
    """The BPMN file with a generated diagram added when it has none; otherwise unchanged."""
    root, issues = parse_xml(filename, content)
    if root is None:
        raise DiagramInvalid(issues)
    if etree.QName(root).namespace != BPMN_NS or has_diagram(root):
        return content
    match = _CLOSING.search(content)
    if match is None:
        return content
    return content[: match.start()] + _diagram_xml(root).encode() + content[match.start():]


def main(paths: list[str]) -> int:
    """`python -m engine.layout FILE...`: add a generated diagram to each BPMN file that has none."""
    from pathlib import Path

    for name in paths:
        path = Path(name)
        content = path.read_bytes()
        laid_out = with_diagram(content, path.name)
        if laid_out != content:
            path.write_bytes(laid_out)
            print(f"{path}: diagram added")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
