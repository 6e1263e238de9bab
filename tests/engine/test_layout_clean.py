"""Generated diagrams draw no sequence flow through a shape and put no label on a shape or another label."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from engine import inspect_diagram
from engine.layout import relaid, with_diagram, without_diagram
from tests.engine.layout_check import NS, problems

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "bpmn").glob("*.bpmn"))
CORPUS = sorted(Path("/work/shared/bpmn-corpus").glob("*.bpmn")) + sorted((ROOT / "tests" / "data").rglob("*.bpmn"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_diagrams_carry_a_clean_generated_layout(path: Path) -> None:
    content = path.read_bytes()
    assert b"BPMNShape" in content
    assert problems(content) == []
    assert relaid(content, path.name) == content, "run `python -m engine.layout bpmn/*.bpmn` after changing a diagram"


@pytest.mark.parametrize("path", BUNDLED + CORPUS, ids=lambda p: p.name)
def test_a_layout_generated_for_any_diagram_is_clean(path: Path) -> None:
    content = without_diagram(path.read_bytes())
    laid_out = with_diagram(content, path.name)
    assert laid_out.startswith(content[: content.rindex(b"</")])
    assert problems(laid_out) == []


def test_relaying_keeps_the_process_text_byte_for_byte() -> None:
    original = (ROOT / "bpmn" / "appeal.bpmn").read_bytes()
    stripped = without_diagram(original)
    assert b"BPMNDiagram" not in stripped and b"<bpmn:process" in stripped
    assert without_diagram(relaid(original, "appeal.bpmn", drawn_too=True)) == stripped
    assert inspect_diagram("appeal.bpmn", stripped).ids == inspect_diagram("appeal.bpmn", original).ids


def test_a_drawn_diagram_is_kept_unless_asked() -> None:
    drawn = (ROOT / "bpmn" / "callback.bpmn").read_bytes().replace(b'id="otklik_layout"', b'id="drawn_by_hand"')
    assert relaid(drawn, "callback.bpmn") == drawn
    assert b'id="otklik_layout"' in relaid(drawn, "callback.bpmn", drawn_too=True)


def test_boundary_events_of_one_task_and_their_labels_stay_apart() -> None:
    laid_out = (ROOT / "bpmn" / "appeal.bpmn").read_bytes()
    for event in (b"accept_reminder", b"accept_breach", b"accept_absorbed"):
        shape = laid_out[laid_out.index(b'bpmnElement="' + event + b'"'):]
        assert b"<bpmndi:BPMNLabel>" in shape[: shape.index(b"</bpmndi:BPMNShape>")]
    assert problems(laid_out) == []


def test_the_check_finds_a_flow_through_a_task_and_labels_on_top_of_each_other() -> None:
    root = etree.fromstring((ROOT / "bpmn" / "appeal.bpmn").read_bytes())
    edge = root.find(".//bpmndi:BPMNEdge[@bpmnElement='f_route']", NS)
    task = root.find(".//bpmndi:BPMNShape[@bpmnElement='accept']/dc:Bounds", NS)
    assert edge is not None and task is not None
    y = float(task.get("y", "0")) + 40
    for point, x in zip(edge.findall("di:waypoint", NS), (0, 5000), strict=False):
        point.set("x", str(x))
        point.set("y", str(y))
    for extra in edge.findall("di:waypoint", NS)[2:]:
        edge.remove(extra)
    assert "flow f_route crosses accept" in problems(etree.tostring(root))
    labels = root.findall(".//bpmndi:BPMNLabel/dc:Bounds", NS)
    for name in ("x", "y"):
        labels[0].set(name, labels[1].get(name, "0"))
    assert any(p.startswith("labels of ") for p in problems(etree.tostring(root)))
