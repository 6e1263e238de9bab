"""The JSON API under /api/v1 (bearer tokens; CSRF does not apply)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from web.api import appeals, processes, registry, tasks  # noqa: E402,F401  (routes register on bp)
