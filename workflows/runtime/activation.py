"""Making an earlier version current again, checked like a deploy (interfaces, buildable bundles)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine import DiagramInfo, DiagramInvalid
from workflows import clock
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.runtime import definitions
from workflows.runtime.interfaces import interface_issues
from workflows.runtime.models import ProcessVersion


@dataclass
class Activation:
    version: ProcessVersion
    previous: ProcessVersion | None


def _info(version: ProcessVersion) -> DiagramInfo:
    return DiagramInfo(kind="bpmn" if version.kind == "bpmn" else "dmn", ids=list(version.ids),
                       called_decisions=list(version.called_decisions or []),
                       called_processes=list(version.called_processes or []))


def _refuse(issues: list[dict[str, object]]) -> ValidationFailed:
    return ValidationFailed("эту версию нельзя сделать текущей: исправьте отмеченные места", {"errors": issues})


def _check(version: ProcessVersion) -> None:
    issues = interface_issues([(version.filename, bytes(version.content), _info(version))],
                              definitions.current_version)
    if issues:
        raise _refuse([{"message": i.message, "element_id": i.element_id, "line": i.line, "file": i.file}
                       for i in issues])


def _dependants(version: ProcessVersion) -> list[str]:
    """The processes whose bundle changes with this version: itself, or the current processes calling it."""
    if version.kind == "bpmn":
        return [version.key]
    keys = db.session.scalars(select(ProcessVersion.key).where(ProcessVersion.kind == "bpmn").distinct())
    return [key for key in keys if (current := definitions.current_version(key)) is not None
            and set(current.called_decisions or []) & set(version.ids)]


def activate(key: str, number: int, actor_id: int | None) -> Activation:
    """Make version `number` of `key` current (no commit: the caller commits it with its audit entry)."""
    version = db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key,
                                                             ProcessVersion.version == number))
    if version is None:
        raise NotFound(f"нет версии {number} у {key}")
    previous = definitions.current_version(key)
    if previous is not None and previous.id == version.id:
        return Activation(version, previous)
    _check(version)
    version.activation = definitions.next_activation()
    version.activated_at, version.activated_by_id = clock.now(), actor_id
    db.session.flush()
    for process_id in _dependants(version):
        try:
            definitions.spec_bundle_for(process_id)
        except NotFound:
            continue
        except DiagramInvalid as err:
            db.session.rollback()
            raise _refuse([{"message": i.message, "element_id": i.element_id, "line": i.line,
                            "file": i.file or version.filename} for i in err.issues]) from err
    return Activation(version, previous)
