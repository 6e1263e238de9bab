"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1 and /open311/v2 (no login)."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from web.api import bp
from web.openapi import document


@bp.get("/openapi.json")
def openapi_show() -> Any:
    return jsonify(document())
