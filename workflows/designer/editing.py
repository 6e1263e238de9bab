"""Validate what the editor holds, and deploy it as a new version with an audit entry and its diff."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from engine import DiagramInvalid, diff_diagrams, with_diagram
from workflows.audit import service as audit
from workflows.db import db
from workflows.designer.catalog import running_counts
from workflows.designer.compare import diff_summary
from workflows.errors import ValidationFailed
from workflows.runtime import definitions
from workflows.runtime.activation import activate
from workflows.runtime.models import ProcessVersion

ALLOWED_SUFFIXES = (".bpmn", ".dmn")


@dataclass
class DeployResult:
    version: ProcessVersion
    previous: ProcessVersion | None
    created: bool


def clean_filename(filename: str) -> str:
    name = PurePath(str(filename or "")).name
    if not name.endswith(ALLOWED_SUFFIXES) or len(name) > 200 or name.startswith("."):
        raise ValidationFailed("имя файла должно оканчиваться на .bpmn или .dmn", {"filename": "bad file name"})
    return name


def check_diagram(filename: str, content: bytes) -> list[dict[str, Any]]:
    """The issues deploy would report for this file (empty when it can be deployed)."""
    return check_diagram_overridable(filename, content)[0]


def check_diagram_overridable(filename: str, content: bytes) -> tuple[list[dict[str, Any]], bool]:
    """The issues deploy would report, and whether an admin may deploy over them (failing scenarios only)."""
    try:
        definitions.check_files([(clean_filename(filename), content)])
    except ValidationFailed as err:
        details = err.details if isinstance(err.details, dict) else {}
        issues = list(details.get("errors") or [{"message": err.message, "element_id": None, "line": None}])
        return issues, bool(details.get("overridable"))
    return [], False


def _key(filename: str, content: bytes) -> str:
    (_, _, info), = definitions.inspect_files([(filename, content)])
    stem = PurePath(filename).stem
    return stem if stem in info.ids else info.ids[0]


def deploy_diagram(filename: str, content: bytes, actor_id: int | None,
                   override_reason: str | None = None) -> DeployResult:
    """Deploy one file as a new version; the audit entry is committed with it. Identical content is no-op."""
    filename = clean_filename(filename)
    key = _key(filename, content)  # raises ValidationFailed with every issue
    previous = definitions.current_version(key)
    if previous is not None and previous.content_hash == hashlib.sha256(content).hexdigest():
        return DeployResult(previous, previous, created=False)
    summary: dict[str, Any] = {"filename": filename}
    if previous is not None:
        try:
            summary["elements"] = diff_summary(diff_diagrams(bytes(previous.content), content, filename))
        except DiagramInvalid:
            summary["elements"] = None
    entry = audit.record("deploy", key, actor_id, summary,
                         audit.text_diff(previous.content if previous else None, content,
                                         f"{key} v{previous.version}" if previous else "/dev/null", f"{key} (new)"),
                         previous_version_id=previous.id if previous else None)
    (version,) = definitions.deploy([(filename, content)], actor_id,  # commits the entry too
                                    override_reason=override_reason)
    entry.version_id = version.id
    entry.summary = {**summary, "version": version.version}
    db.session.commit()
    return DeployResult(version, previous, created=True)


def deploy_plan(filename: str, content: bytes) -> dict[str, Any]:
    """What deploying this file would do, for the confirmation the designer sees first; changes nothing."""
    filename = clean_filename(filename)
    key = _key(filename, content)  # raises ValidationFailed with every issue
    previous = definitions.current_version(key)
    plan: dict[str, Any] = {"key": key, "current_version": previous.version if previous else None,
                            "next_version": (latest.version if (latest := definitions.latest_version(key)) else 0) + 1,
                            "unchanged": False,
                            "running": 0, "elements": None}
    if previous is None:
        return plan
    plan["unchanged"] = previous.content_hash == hashlib.sha256(content).hexdigest()
    plan["running"] = running_counts().get(previous.id, 0)
    try:
        plan["elements"] = diff_summary(diff_diagrams(bytes(previous.content), content, filename))
    except DiagramInvalid:
        plan["elements"] = None
    return plan


def with_layout(filename: str, content: bytes) -> bytes:
    """The file with generated diagram shapes when it has none (what the browser modeler needs to draw)."""
    try:
        return with_diagram(content, clean_filename(filename))
    except DiagramInvalid as err:
        raise ValidationFailed("файл не читается как XML", {"errors": [
            {"message": i.message, "element_id": i.element_id, "line": i.line} for i in err.issues]}) from err


def activate_version(key: str, number: int, actor_id: int | None) -> DeployResult:
    """Make an earlier version current again (checked like a deploy), with an audit entry; commits."""
    result = activate(key, number, actor_id)
    if result.previous is not None and result.previous.id == result.version.id:
        return DeployResult(result.version, result.previous, created=False)
    previous = result.previous
    audit.record("activate", key, actor_id,
                 {"version": result.version.version, "from_version": previous.version if previous else None,
                  "filename": result.version.filename},
                 audit.text_diff(previous.content if previous else None, bytes(result.version.content),
                                 f"{key} v{previous.version}" if previous else "/dev/null",
                                 f"{key} v{result.version.version}"),
                 version_id=result.version.id, previous_version_id=previous.id if previous else None)
    db.session.commit()
    return DeployResult(result.version, previous, created=True)
