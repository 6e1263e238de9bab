"""Organisations and buildings."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from web.api import bp
from web.api.params import int_arg
from web.auth import api_auth
from workflows.errors import ValidationFailed
from workflows.registry import service


@bp.get("/organizations")
@api_auth()
def organizations_list() -> Any:
    kind = request.args.get("kind")
    if kind and kind not in service.ORGANIZATION_KINDS:
        raise ValidationFailed("unknown kind", {"kind": f"one of {', '.join(service.ORGANIZATION_KINDS)}"})
    return jsonify({"items": [o.to_dict() for o in service.list_organizations(kind)]})


@bp.get("/buildings")
@api_auth()
def buildings_list() -> Any:
    page = int_arg("page", 1) or 1
    items = service.search_buildings(request.args.get("q", ""), page=page)
    return jsonify({"items": [b.to_dict() for b in items], "page": page})


@bp.get("/buildings/<int:building_id>")
@api_auth()
def buildings_show(building_id: int) -> Any:
    return jsonify(service.get_building(building_id).to_dict())
