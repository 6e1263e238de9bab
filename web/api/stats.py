"""Figures of the city's appeals: `GET /api/v1/stats`."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.auth import api_may
from workflows.stats.figures import stats
from workflows.stats.period import parse_period


@bp.get("/stats")
@api_may("stats.read")
def stats_show() -> Any:
    period = parse_period(request.args.get("from"), request.args.get("to"))
    return jsonify(stats(g.user, period, request.args.get("group") or "organization"))
