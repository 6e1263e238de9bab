"""Generated diagram interchange and element-level diffs of diagrams."""
from __future__ import annotations

from pathlib import Path

from engine import diff_diagrams, diff_specs, inspect_diagram, with_diagram
from engine.spec import build_spec

RUNTIME = Path(__file__).resolve().parents[1] / "data" / "runtime"


def test_a_diagram_without_shapes_gets_one_shape_per_element_and_keeps_its_text() -> None:
    original = (RUNTIME / "escalate.bpmn").read_bytes()
    laid_out = with_diagram(original, "escalate.bpmn")
    head = original[: original.rindex(b"</bpmn:definitions>")]
    assert laid_out.startswith(head)
    for element in (b"start", b"work", b"deadline", b"note_breach", b"escalation", b"f3"):
        assert b'bpmnElement="' + element + b'"' in laid_out
    assert inspect_diagram("escalate.bpmn", laid_out).ids == ["escalate"]
    assert with_diagram(laid_out, "escalate.bpmn") == laid_out


def test_diff_reports_added_removed_and_changed_elements_but_not_layout() -> None:
    old = (RUNTIME / "review.bpmn").read_bytes()
    new = old.replace("Рассмотреть".encode(), "Рассмотреть заявку".encode())
    new = new.replace(b'<bpmn:endEvent id="done">', b'<bpmn:endEvent id="finished">')
    new = new.replace(b'targetRef="done"', b'targetRef="finished"')
    diff = diff_diagrams(with_diagram(old), new)
    assert [e.element_id for e in diff.added] == ["finished"] and [e.element_id for e in diff.removed] == ["done"]
    changed = {c.element_id: c.changes for c in diff.changed}
    assert changed["decide"]["@name"] == ("Рассмотреть", "Рассмотреть заявку")
    assert changed["f2"]["@targetRef"] == ("done", "finished")


def test_spec_diff_aligns_task_specs_of_two_versions() -> None:
    old = (RUNTIME / "review.bpmn").read_bytes()
    new = old.replace(b'"now() + timedelta(hours=4)"', b'"now() + timedelta(hours=8)"')
    changes = diff_specs(build_spec("review", {"r.bpmn": old}, {}), build_spec("review", {"r.bpmn": new}, {}))
    assert changes.added == [] and changes.removed == [] and list(changes.changed) == ["decide"]
