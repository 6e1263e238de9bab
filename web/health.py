"""GET /healthz: the service answers once its database and queue answer."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify
from sqlalchemy import text

from workflows.db import db
from workflows.services import services

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Any:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as err:  # noqa: BLE001 - any failure means "not healthy", reported as such
        checks["database"] = f"error: {type(err).__name__}"
    try:
        services().huey.pending_count()
        checks["queue"] = "ok"
    except Exception as err:  # noqa: BLE001
        checks["queue"] = f"error: {type(err).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if healthy else "unavailable", **checks}), 200 if healthy else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
