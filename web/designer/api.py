"""JSON endpoints the designer screens call (session login + X-CSRFToken header)."""
from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request

from web.api.params import override_reason
from web.auth import login_may
from web.designer.blueprint import bp
from workflows.designer import catalog, dryrun_store, editing, follow
from workflows.errors import ValidationFailed
from workflows.ids import as_id

MAX_XML_CHARS = 2 * 1024 * 1024


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("ожидается объект JSON", {"body": "object expected"})
    return body


def _xml(body: dict[str, Any]) -> tuple[str, bytes]:
    xml = body.get("xml")
    if not isinstance(xml, str) or not xml.strip() or len(xml) > MAX_XML_CHARS:
        raise ValidationFailed("нет текста диаграммы", {"xml": "required"})
    return str(body.get("filename") or ""), xml.encode("utf-8")


@bp.route("/api/versions/<int:version_id>/xml")
@login_may("designer.use")
def version_xml(version_id: int) -> Any:
    version = catalog.get_version(version_id)
    return Response(catalog.drawable_content(version), mimetype="application/xml")


@bp.route("/api/validate", methods=["POST"])
@login_may("designer.use")
def diagram_validate() -> Any:
    filename, content = _xml(_body())
    issues, overridable = editing.check_diagram_overridable(filename, content)
    return jsonify({"ok": not issues, "errors": issues, "overridable": overridable})


@bp.route("/api/deploy", methods=["POST"])
@login_may("designer.use")
def diagram_deploy() -> Any:
    body = _body()
    filename, content = _xml(body)
    result = editing.deploy_diagram(filename, content, g.user.id, override_reason(body.get("override_reason")))
    version = result.version
    return jsonify({"created": result.created, "version_id": version.id, "key": version.key,
                    "version": version.version, "kind": version.kind,
                    "previous_version": result.previous.version if result.previous else None}), (
        201 if result.created else 200)


@bp.route("/api/deploy/plan", methods=["POST"])
@login_may("designer.use")
def diagram_deploy_plan() -> Any:
    """What a deploy would do (next version, changed elements, running instances) for the confirmation dialog."""
    filename, content = _xml(_body())
    return jsonify(editing.deploy_plan(filename, content))


@bp.route("/api/instances/<int:instance_id>")
@login_may("designer.use")
def instance_state(instance_id: int) -> Any:
    return jsonify(follow.instance_view(instance_id).to_dict())


@bp.route("/api/dry-run", methods=["POST"])
@login_may("designer.use")
def dry_run_start() -> Any:
    body = _body()
    version = str(body.get("version_id") or "")
    return jsonify(dryrun_store.start(str(body.get("process_id") or ""), body.get("data") or {},
                                      body.get("operations") or {}, body.get("start"),
                                      as_id(version)))


@bp.route("/api/dry-run/step", methods=["POST"])
@login_may("designer.use")
def dry_run_step() -> Any:
    body = _body()
    return jsonify(dryrun_store.step(body.get("token"), body.get("action"), body))


@bp.route("/api/layout", methods=["POST"])
@login_may("designer.use")
def diagram_layout() -> Any:
    """A BPMN without shapes (written by hand or by another tool) with a generated layout added."""
    filename, content = _xml(_body())
    return jsonify({"xml": editing.with_layout(filename, content).decode("utf-8")})
