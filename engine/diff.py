"""Comparing two versions of a diagram: element-level (XML, by id) and task-spec-level (Spiff's SpecDiff).

An element is anything in the BPMN/DMN model with an id; its facets are its type, its attributes
and the text and attributes of the id-less content inside it (extension properties, scripts,
conditions, timer expressions...). Diagram interchange (shapes and edges) is layout, not meaning,
and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.util.diff import SpecDiff

from engine.errors import DiagramInvalid
from engine.safexml import parse_xml
from engine.serializer import REGISTRY, spec_from_dict

LAYOUT_SUFFIXES = ("/DI", "/DC", "DMNDI")


@dataclass(frozen=True)
class ElementSummary:
    element_id: str
    type: str
    name: str | None


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    type: str
    name: str | None
    changes: dict[str, tuple[str | None, str | None]]


@dataclass(frozen=True)
class DiagramDiff:
    added: list[ElementSummary] = field(default_factory=list)
    removed: list[ElementSummary] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class SpecChanges:
    """Task specs (by BPMN id) added, removed and changed, as Spiff's SpecDiff aligns them."""

    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]


def _is_layout(element: etree._Element) -> bool:
    namespace = (etree.QName(element).namespace or "").upper().rstrip("/")
    return namespace.endswith(LAYOUT_SUFFIXES)


def _key(element: etree._Element) -> str:
    name = etree.QName(element).localname
    label = element.get("name") or element.get("id")
    return f"{name}[{label}]" if label else name


def _facets(element: etree._Element) -> dict[str, str]:
    facets = {f"@{etree.QName(attr).localname}": value for attr, value in element.attrib.items() if attr != "id"}

    def walk(node: etree._Element, path: str) -> None:
        for child in node:
            if not isinstance(child.tag, str) or _is_layout(child) or child.get("id"):
                continue  # elements with ids are compared on their own
            child_path = f"{path}/{_key(child)}" if path else _key(child)
            text = (child.text or "").strip()
            attributes = " ".join(f"{etree.QName(k).localname}={v}" for k, v in sorted(child.attrib.items()))
            value = " ".join(part for part in (attributes, text) if part)
            if value:
                facets[child_path] = value
            walk(child, child_path)

    walk(element, "")
    return facets


def _elements(content: bytes, filename: str) -> dict[str, etree._Element]:
    root, issues = parse_xml(filename, content)
    if root is None:
        raise DiagramInvalid(issues)
    found: dict[str, etree._Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or _is_layout(element):
            continue
        element_id = element.get("id")
        if element_id and element is not root and not any(_is_layout(a) for a in element.iterancestors()):
            found.setdefault(element_id, element)
    return found


def _summary(element_id: str, element: etree._Element) -> ElementSummary:
    return ElementSummary(element_id, etree.QName(element).localname, element.get("name"))


def diff_diagrams(old: bytes, new: bytes, filename: str = "diagram") -> DiagramDiff:
    """Elements added, removed and changed between two BPMN or DMN documents."""
    before, after = _elements(old, filename), _elements(new, filename)
    added = [_summary(i, e) for i, e in after.items() if i not in before]
    removed = [_summary(i, e) for i, e in before.items() if i not in after]
    changed = []
    for element_id, old_element in before.items():
        new_element = after.get(element_id)
        if new_element is None:
            continue
        old_facets, new_facets = _facets(old_element), _facets(new_element)
        if etree.QName(old_element).localname != etree.QName(new_element).localname:
            old_facets["type"] = etree.QName(old_element).localname
            new_facets["type"] = etree.QName(new_element).localname
        changes = {key: (old_facets.get(key), new_facets.get(key))
                   for key in sorted(set(old_facets) | set(new_facets)) if old_facets.get(key) != new_facets.get(key)}
        if changes:
            summary = _summary(element_id, new_element)
            changed.append(ElementChange(element_id, summary.type, summary.name, changes))
    return DiagramDiff(added, removed, changed)


def _spec_name(spec: Any) -> str:
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def diff_specs(old_bundle: dict[str, Any], new_bundle: dict[str, Any]) -> SpecChanges:
    """Task-level comparison of two spec bundles (build_spec output) of the same process."""
    old_spec, new_spec = spec_from_dict(old_bundle["spec"]), spec_from_dict(new_bundle["spec"])
    diff = SpecDiff(REGISTRY, old_spec, new_spec)
    visible = [spec for spec in diff.added if getattr(spec, "bpmn_id", None)]
    return SpecChanges(
        added=sorted(_spec_name(s) for s in visible),
        removed=sorted(_spec_name(s) for s in diff.removed if getattr(s, "bpmn_id", None)),
        changed={_spec_name(s): list(c) for s, c in diff.changed.items() if getattr(s, "bpmn_id", None)},
    )
