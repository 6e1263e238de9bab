"""The ЦГДС phone desk: quick keyboard entry of a call, with small JSON helpers for the page's script."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from connectors import phones
from web.auth import login_may
from web.labels import category_label, status_label, supply_label
from web.ui import localtime
from workflows import clock
from workflows.appeals import desk, queries
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed

bp = Blueprint("desk", __name__, url_prefix="/desk")
FORM_FIELDS = ("phone", "name", "address", "building_id", "unlisted", "flat", "category", "emergency", "text")


def _registered(raw: str | None) -> Appeal | None:
    if not raw or not raw.isdigit() or len(raw) > 12:
        return None
    try:
        return queries.get_appeal(int(raw), g.user)
    except NotFound:
        return None


@bp.get("")
@login_may("appeals.desk")
def desk_show() -> Any:
    done = _registered(request.args.get("done"))
    return render_template("desk.html", values={}, errors={}, done=done,
                           done_outage=desk.outage_for(done) if done is not None else None)


@bp.post("")
@login_may("appeals.desk")
def desk_register() -> Any:
    values = {name: request.form.get(name, "")[:6000] for name in FORM_FIELDS}
    try:
        registration = desk.register_call(values, g.user)
    except ValidationFailed as err:
        errors = err.details if isinstance(err.details, dict) else {"text": err.message}
        return render_template("desk.html", values=values, errors=errors, done=None, message=err.message), 422
    appeal_id = registration.appeal.id
    db.session.commit()  # the request owns the transaction: register_call only flushes
    return redirect(url_for("desk.desk_show", done=appeal_id))


def _brief(appeal: Appeal) -> dict[str, Any]:
    return {"id": appeal.id, "number": appeal.number, "building_id": appeal.building_id,
            "registered_at": localtime(appeal.created_at),
            "category": appeal.category, "category_name": category_label(appeal.category),
            "status": appeal.status, "status_name": status_label(appeal.status), "address": appeal.address_text,
            "text": appeal.text[:160], "url": url_for("appeals.appeal_show", appeal_id=appeal.id)}


@bp.get("/caller")
@login_may("appeals.desk")
def desk_caller() -> Any:
    phone = request.args.get("phone", "")[:40]
    return jsonify({"phone": phones.e164(phone) or "",
                    "items": [_brief(a) for a in desk.caller_appeals(g.user, phone)]})


@bp.get("/buildings")
@login_may("appeals.desk")
def desk_buildings() -> Any:
    query = request.args.get("q", "")[:200]
    return jsonify({"items": desk.building_matches(query), "exact": desk.exact_building(query), "query": query})


@bp.get("/buildings/<int:building_id>")
@login_may("appeals.desk")
def desk_building(building_id: int) -> Any:
    card = desk.building_card(building_id)
    building = card.building
    return jsonify({
        "id": building.id, "address": building.address, "district": building.district,
        "management_organization": building.management_org.ref() if building.management_org else None,
        "incidents": [{"id": item.incident.id, "resource": item.incident.resource, "category": item.category,
                       "category_name": category_label(item.category), "appeals": item.appeals,
                       "opened_at": localtime(item.incident.opened_at), "cause": item.incident.cause,
                       "expected_end": localtime(item.incident.expected_end), "primary_number": item.primary_number}
                      for item in card.incidents],
        "outages": [outage_brief(o) for o in desk.building_outages(building.id)],
    })


def outage_brief(outage: Any) -> dict[str, Any]:
    """An outage as the desk and the API's registration answer show it: what, since when, until when."""
    return {"id": outage.id, "resource": outage.resource, "resource_name": supply_label(outage.resource),
            "kind": outage.kind, "current": outage.starts_at <= clock.now(),
            "starts_at": localtime(outage.starts_at), "ends_at": localtime(outage.ends_at),
            "ends_at_iso": outage.ends_at.isoformat(), "description": outage.description or "",
            "organization": outage.organization.name}


@bp.get("/suggest")
@login_may("appeals.desk")
def desk_suggest() -> Any:
    return jsonify(desk.suggestion(request.args.get("text", "")[:5000]))
