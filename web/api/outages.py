"""Outages: register, preview, read, change the expected end, restore, delivery progress; the public list."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_auth, api_may
from workflows.db import db
from workflows.delivery import delivery_stats
from workflows.errors import NotFound, ValidationFailed
from workflows.outages import public, queries, service
from workflows.outages.access import get_outage
from workflows.outages.facts import record_indoor_temperature
from workflows.outages.notices import group_key
from workflows.registry.models import Building


@bp.post("/outages")
@api_may("outages.register")
def outages_create() -> Any:
    outage = service.register_outage(json_body(), g.user)
    return jsonify(queries.outage_to_dict(outage)), 201


@bp.post("/outages/preview")
@api_may("outages.register")
def outages_preview() -> Any:
    found = service.preview(json_body(), g.user)
    return jsonify({"count": len(found), "affected_buildings": [
        {"id": b.id, "address": b.address, "district": b.district, "notifications_enabled": b.notifications_enabled}
        for b in found]})


@bp.get("/outages")
@api_auth()
def outages_list() -> Any:
    status = request.args.get("status")
    if not queries.valid_status(status):
        raise ValidationFailed("unknown status", {"status": "one of the outage statuses"})
    filters = {"status": status, "resource": request.args.get("resource"), "kind": request.args.get("kind"),
               "organization_id": int_arg("organization_id"), "building_id": int_arg("building_id"),
               "current": request.args.get("current") in ("1", "true")}
    page = int_arg("page", 1) or 1
    per_page = int_arg("per_page", 50, maximum=500) or 50
    items, total = queries.list_outages(g.user, filters, page, per_page)
    return jsonify({"items": [queries.outage_to_dict(o, full=False) for o in items], "total": total, "page": page,
                    "per_page": per_page})


@bp.get("/outages/<int:outage_id>")
@api_auth()
def outages_show(outage_id: int) -> Any:
    return jsonify(queries.outage_to_dict(get_outage(outage_id, g.user)))


@bp.patch("/outages/<int:outage_id>")
@api_may("outages.register")
def outages_update(outage_id: int) -> Any:
    body = json_body()
    outage = None
    if "indoor_temperature" in body:
        outage = record_indoor_temperature(outage_id, body["indoor_temperature"], g.user)
    if outage is None or body.get("ends_at") is not None or body.get("description") is not None:
        outage = service.update_outage(outage_id, body, g.user)
    return jsonify(queries.outage_to_dict(outage))


@bp.post("/outages/<int:outage_id>/restore")
@api_may("outages.register")
def outages_restore(outage_id: int) -> Any:
    body = request.get_json(silent=True)
    outage = service.restore_outage(outage_id, body if isinstance(body, dict) else {}, g.user)
    return jsonify(queries.outage_to_dict(outage))


@bp.get("/outages/<int:outage_id>/deliveries")
@api_auth()
def outages_deliveries(outage_id: int) -> Any:
    outage = get_outage(outage_id, g.user)
    return jsonify(dict(delivery_stats(group_key(outage.id))))


@bp.get("/public/outages")
def public_outages() -> Any:
    """No login: current and planned outages of one building (by id or address), building-level facts only."""
    building_id = int_arg("building_id")
    address = (request.args.get("address") or "").strip()[:300]
    if building_id is None and not address:
        raise ValidationFailed("укажите address или building_id", {"address": "адрес дома или building_id"})
    building = db.session.get(Building, building_id) if building_id is not None else None
    candidates: list[dict[str, Any]] = []
    if building_id is None:
        building, candidates = public.find_building(address)
    if building is None:
        if building_id is not None:
            raise NotFound(f"нет дома {building_id}")
        raise NotFound("адрес не найден однозначно", {"candidates": candidates})
    items = [public.public_dict(o) for o in public.building_outages(building.id)]
    return jsonify({"building": {"id": building.id, "address": building.address, "district": building.district},
                    "items": items})
