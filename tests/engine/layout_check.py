"""Reads a diagram's DI back and lists where it draws a flow through a shape or labels on top of things."""
from __future__ import annotations

from lxml import etree

from engine.layout_geometry import Box, segment_crosses

NS = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI", "dc": "http://www.omg.org/spec/DD/20100524/DC",
      "di": "http://www.omg.org/spec/DD/20100524/DI", "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
CONTAINERS = {"participant", "lane", "subProcess", "transaction", "adHocSubProcess"}


def _bounds(element: etree._Element) -> Box:
    b = element.find("dc:Bounds", NS)
    assert b is not None
    return Box(float(b.get("x", "0")), float(b.get("y", "0")), float(b.get("width", "0")), float(b.get("height", "0")))


def _label(di: etree._Element) -> Box | None:
    label = di.find("bpmndi:BPMNLabel", NS)
    return _bounds(label) if label is not None and label.find("dc:Bounds", NS) is not None else None


def _read(root: etree._Element) -> tuple[dict[str, Box], dict[str, Box], list[tuple[str, set[str], list]]]:
    elements = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    shapes: dict[str, Box] = {}
    labels: dict[str, Box] = {}
    flows: list[tuple[str, set[str], list]] = []
    for di in root.iterfind(".//bpmndi:BPMNShape", NS):
        ref = di.get("bpmnElement", "")
        element = elements.get(ref)
        if element is None or etree.QName(element).localname not in CONTAINERS:
            shapes[ref] = _bounds(di)
        if (label := _label(di)) is not None:
            labels[ref] = label
    for di in root.iterfind(".//bpmndi:BPMNEdge", NS):
        ref = di.get("bpmnElement", "")
        flow = elements.get(ref)
        if flow is None or etree.QName(flow).localname != "sequenceFlow":
            continue
        points = [(float(p.get("x", "0")), float(p.get("y", "0"))) for p in di.iterfind("di:waypoint", NS)]
        flows.append((ref, {flow.get("sourceRef", ""), flow.get("targetRef", "")}, points))
        if (label := _label(di)) is not None:
            labels[ref] = label
    return shapes, labels, flows


def problems(content: bytes) -> list[str]:
    shapes, labels, flows = _read(etree.fromstring(content))
    found = [f"flow {ref} crosses {shape_id}"
             for ref, ends, points in flows for a, b in zip(points, points[1:], strict=False)
             for shape_id, box in shapes.items() if shape_id not in ends and segment_crosses(a, b, box)]
    items = list(labels.items())
    for i, (ref, box) in enumerate(items):
        found += [f"label of {ref} covers {shape_id}" for shape_id, shape in shapes.items() if box.overlaps(shape)]
        found += [f"labels of {ref} and {other} overlap"
                  for other, other_box in items[i + 1:] if box.overlaps(other_box)]
    return found
