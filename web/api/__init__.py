"""The JSON API under /api/v1 (bearer tokens; CSRF does not apply)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# routes register on bp: the appeals API, the integration API (webhooks, OpenAPI), outages, representatives
from web.api import (  # noqa: E402,F401
    appeals,
    ledger,
    letters,
    map,
    openapi,
    outages,
    processes,
    registry,
    representatives,
    stats,
    tasks,
    webhooks,
)
