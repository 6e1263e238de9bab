"""Appeals: register, read, list, and the resident's confirmation."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_auth, api_may
from workflows.appeals import queries
from workflows.appeals.answers import confirm_resolution
from workflows.appeals.catalog import CATEGORIES
from workflows.appeals.desk import outage_for
from workflows.appeals.input import APPEAL_CONFIRMATION
from workflows.appeals.intake import register_appeal
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.validation import checked


@bp.post("/appeals")
@api_may("appeals.register")
def appeals_create() -> Any:
    registration = register_appeal(json_body(), g.user)
    body = dict(registration.view)
    outage = outage_for(registration.appeal)
    # an active outage of this resource at the building: the answer says when supply is expected back
    body["outage"] = {"id": outage.id, "resource": outage.resource, "ends_at": outage.ends_at.isoformat(),
                      "description": outage.description or ""} if outage is not None else None
    db.session.commit()  # the request owns the transaction: register_appeal only flushes
    return jsonify(body), 201 if registration.created else 200


@bp.get("/appeals/<int:appeal_id>")
@api_auth()
def appeals_show(appeal_id: int) -> Any:
    appeal = queries.get_appeal(appeal_id, g.user)
    body = queries.appeal_to_dict(appeal)
    body["history"] = [e.to_dict() for e in queries.history(appeal.id)]
    return jsonify(body)


@bp.get("/appeals")
@api_auth()
def appeals_list() -> Any:
    flags = {name: request.args.get(name, "") for name in ("overdue", "working")}
    for name, value in flags.items():
        if value not in ("", "true", "false", "1", "0"):
            raise ValidationFailed(f"{name}: true или false", {name: "true или false"})
    filters = {"status": request.args.get("status"), "category": request.args.get("category"),
               "organization_id": int_arg("organization_id"), "building_id": int_arg("building_id"),
               "overdue": flags["overdue"] in ("true", "1"), "working": flags["working"] in ("true", "1"),
               "phone": request.args.get("phone")}
    page = int_arg("page", 1) or 1
    per_page = int_arg("per_page", 50, maximum=500) or 50
    items, total = queries.list_appeals(g.user, filters, page, per_page)
    return jsonify({"items": [queries.appeal_to_dict(a) for a in items], "total": total, "page": page,
                    "per_page": per_page})


@bp.post("/appeals/<int:appeal_id>/confirmation")
@api_may("appeals.confirm_category")
def appeals_confirm(appeal_id: int) -> Any:
    queries.get_appeal(appeal_id, g.user)
    answer = checked(APPEAL_CONFIRMATION, json_body(), "ответ: fixed или not_fixed")["answer"]
    appeal = confirm_resolution(appeal_id, answer, g.user.id)
    return jsonify(queries.appeal_to_dict(appeal))


@bp.get("/categories")
def categories_list() -> Any:
    return jsonify({"items": [{"code": c.code, "name": c.name, "resource": c.resource,
                               "emergencies": list(c.emergencies)} for c in CATEGORIES]})
