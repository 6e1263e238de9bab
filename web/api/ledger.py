"""The interruption ledger of ПП 354 (CONTRACT: GET /api/v1/ledger)."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.api.params import int_arg
from web.auth import api_auth
from workflows.outages.ledger import ledger, scope_for


@bp.get("/ledger")
@api_auth()
def ledger_list() -> Any:
    scope = scope_for(g.user, request.args.get("month"), int_arg("building_id"), request.args.get("resource"))
    return jsonify({"items": [row.to_dict() for row in ledger(scope)]})
