"""Diagram interchange (DI) for BPMN files that have none, so a browser modeler can draw them.

The layout itself is in engine.layout_place (layers, lanes, rows) and engine.layout_geometry
(orthogonal routes through the free channels, label places). Only bpmndi elements are added or
replaced: the rest of the file is kept byte for byte, so process semantics cannot change.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from lxml import etree

from engine.errors import DiagramInvalid
from engine.layout_geometry import Box, Point
from engine.layout_place import ProcessLayout, bpmn
from engine.parser import BPMN_NS
from engine.safexml import parse_xml

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
_CLOSING = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?definitions\s*>\s*$")
# Linear in the file's size: the blanks before a diagram are taken from the start of their run only (not from every
# blank of it), and a diagram's body never runs past the start of another diagram (an unclosed one no longer
# makes every later opening tag scan to the end of the file). 80,000 tabs took 14 s before.
_OPENING = rb"<(?P<prefix>[A-Za-z_][\w.-]*:)?BPMNDiagram\b"
_DIAGRAM = re.compile(
    rb"(?:(?<![ \t])[ \t]*+)?" + _OPENING
    + rb"(?:(?!<(?:[A-Za-z_][\w.-]*:)?BPMNDiagram\b).)*?</(?P=prefix)?BPMNDiagram\s*>[ \t]*\r?\n?", re.DOTALL)
_GENERATED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?BPMNDiagram\b[^<>]*\bid=\"otklik_layout\"")


def has_diagram(root: etree._Element) -> bool:
    return bool(root.xpath("//*[local-name()='BPMNShape']"))


def _bounds(box: Box) -> str:
    return f'<dc:Bounds x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}"/>'


def _label(box: Box | None) -> str:
    return f"<bpmndi:BPMNLabel>{_bounds(box)}</bpmndi:BPMNLabel>" if box is not None else ""


def _shape(element_id: str, box: Box, extra: str = "", label: Box | None = None) -> str:
    return (f'<bpmndi:BPMNShape id={quoteattr(element_id + "_di")} bpmnElement={quoteattr(element_id)}{extra}>'
            f"{_bounds(box)}{_label(label)}</bpmndi:BPMNShape>")


def _edge(element_id: str, points: list[Point], label: Box | None = None) -> str:
    waypoints = "".join(f'<di:waypoint x="{x:g}" y="{y:g}"/>' for x, y in points)
    return (f'<bpmndi:BPMNEdge id={quoteattr(element_id + "_di")} bpmnElement={quoteattr(element_id)}>'
            f"{waypoints}{_label(label)}</bpmndi:BPMNEdge>")


def _diagram_xml(root: etree._Element) -> str:
    participants = {p.get("processRef"): p.get("id") for p in bpmn(root, "//bpmn:collaboration/bpmn:participant")}
    collaboration = bpmn(root, "//bpmn:collaboration")
    processes = bpmn(root, "/bpmn:definitions/bpmn:process")
    parts: list[str] = []
    top = 60.0
    for process in processes:
        layout = ProcessLayout(process, top)
        pool = layout.place()
        participant = participants.get(process.get("id"))
        if participant:
            parts.append(_shape(participant, pool, ' isHorizontal="true"'))
            lanes = layout.lane_boxes.items()
            parts += [_shape(lane_id, box, ' isHorizontal="true"') for lane_id, box in lanes if lane_id]
        parts += [_shape(node, box, "", layout.labels.get(node)) for node, box in layout.boxes.items()]
        parts += [_edge(flow_id, points, layout.labels.get(flow_id)) for flow_id, points in layout.routes.items()]
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


def without_diagram(content: bytes) -> bytes:
    """The file with its diagram interchange (every BPMNDiagram element) cut out, all else byte for byte."""
    return _DIAGRAM.sub(b"", content)


def relaid(content: bytes, filename: str = "diagram.bpmn", drawn_too: bool = False) -> bytes:
    """A generated diagram in place of a generated one (or of any, with drawn_too); the process text unchanged."""
    if not drawn_too and _DIAGRAM.search(content) and not _GENERATED.search(content):
        return content
    return with_diagram(without_diagram(content), filename)


def main(arguments: list[str]) -> int:
    """`python -m engine.layout [--drawn-too] FILE...`: lay each BPMN file out anew.

    A file without a diagram gets one; a diagram generated here before is replaced; a diagram drawn
    in a modeler is kept unless --drawn-too is given.
    """
    from pathlib import Path

    drawn_too = "--drawn-too" in arguments
    for name in [a for a in arguments if a != "--drawn-too"]:
        path = Path(name)
        content = path.read_bytes()
        laid_out = relaid(content, path.name, drawn_too)
        if laid_out != content:
            path.write_bytes(laid_out)
            print(f"{path}: diagram laid out")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
