"""Deploying and listing process and decision definitions."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.auth import api_auth
from workflows.errors import ValidationFailed
from workflows.runtime import definitions


@bp.post("/processes")
@api_auth("designer", "admin")
def processes_deploy() -> Any:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed("send the diagram as multipart field `file`",
                               {"errors": [{"message": "no file", "element_id": None, "line": None}]})
    versions = definitions.deploy([(upload.filename, upload.read())], deployed_by_id=g.user.id)
    first = versions[0]
    return jsonify({"process_id": first.key, "version": first.version, "kind": first.kind, "ids": first.ids}), 201


@bp.get("/processes")
@api_auth("designer", "admin", "coordinator", "dispatcher", "official")
def processes_list() -> Any:
    items: dict[str, dict[str, Any]] = {}
    for version in definitions.list_versions():
        entry = items.setdefault(version.key, {"process_id": version.key, "kind": version.kind, "versions": []})
        entry["versions"].append(version.to_dict())
        entry["version"] = version.version
    return jsonify({"items": list(items.values())})
