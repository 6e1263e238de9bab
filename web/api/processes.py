"""Deploying and listing process and decision definitions."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.api.params import override_reason
from web.auth import api_may
from workflows.designer import editing
from workflows.errors import ValidationFailed
from workflows.runtime import definitions


@bp.post("/processes")
@api_may("processes.deploy")
def processes_deploy() -> Any:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed("send the diagram as multipart field `file`",
                               {"errors": [{"message": "no file", "element_id": None, "line": None}]})
    reason = override_reason(request.form.get("override_reason"))
    versions = definitions.deploy([(upload.filename, upload.read())], deployed_by_id=g.user.id,
                                  override_reason=reason)
    first = versions[0]
    return jsonify({"process_id": first.key, "version": first.version, "kind": first.kind, "ids": first.ids}), 201


@bp.get("/processes")
@api_may("instances.view")
def processes_list() -> Any:
    items: dict[str, dict[str, Any]] = {}
    for version in definitions.list_versions():
        entry = items.setdefault(version.key, {"process_id": version.key, "kind": version.kind, "versions": []})
        entry["versions"].append(version.to_dict())
        entry["version"] = version.version
    for entry in items.values():
        current = definitions.current_version(entry["process_id"])
        entry["current_version"] = current.version if current is not None else None
    return jsonify({"items": list(items.values())})


@bp.post("/processes/<process_id>/versions/<int:version>/activate")
@api_may("processes.deploy")
def processes_activate(process_id: str, version: int) -> Any:
    """Make an earlier version current again: appeals registered afterwards use it."""
    result = editing.activate_version(process_id, version, g.user.id)
    return jsonify({"process_id": result.version.key, "version": result.version.version,
                    "previous_version": result.previous.version if result.previous else None,
                    "changed": result.created})
