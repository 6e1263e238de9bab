"""Comparing two versions of one process or decision table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine import DiagramDiff, SpecChanges, diff_diagrams, diff_specs
from workflows.audit.service import text_diff
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.runtime.models import ProcessVersion, SpecBundle


@dataclass
class Comparison:
    old: ProcessVersion
    new: ProcessVersion
    elements: DiagramDiff
    tasks: SpecChanges | None
    text: str


def diff_summary(diff: DiagramDiff) -> dict[str, Any]:
    """JSON-able form of an element-level diff (for the audit log and the API)."""
    return {
        "added": [{"id": e.element_id, "type": e.type, "name": e.name} for e in diff.added],
        "removed": [{"id": e.element_id, "type": e.type, "name": e.name} for e in diff.removed],
        "changed": [{"id": c.element_id, "type": c.type, "name": c.name,
                     "changes": {k: {"old": old, "new": new} for k, (old, new) in c.changes.items()}}
                    for c in diff.changed],
    }


def _bundle(version: ProcessVersion) -> SpecBundle | None:
    return db.session.scalar(select(SpecBundle).where(SpecBundle.process_version_id == version.id)
                             .order_by(SpecBundle.id.desc()).limit(1))


def _task_changes(old: ProcessVersion, new: ProcessVersion) -> SpecChanges | None:
    if old.kind != "bpmn":
        return None
    old_bundle, new_bundle = _bundle(old), _bundle(new)
    if old_bundle is None or new_bundle is None or old_bundle.process_id != new_bundle.process_id:
        return None
    try:
        return diff_specs(old_bundle.spec, new_bundle.spec)
    except Exception:  # noqa: BLE001 - a bundle of an older serializer: the element diff still stands
        return None


def compare_versions(old: ProcessVersion, new: ProcessVersion) -> Comparison:
    if old.key != new.key:
        raise ValidationFailed("сравнивать можно только версии одного процесса или таблицы", {"versions": "mismatch"})
    elements = diff_diagrams(bytes(old.content), bytes(new.content), new.filename)
    text = text_diff(old.content, new.content, f"{old.key} v{old.version}", f"{new.key} v{new.version}")
    return Comparison(old, new, elements, _task_changes(old, new), text)
