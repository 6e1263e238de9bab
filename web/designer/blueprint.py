"""The designer blueprint; CSRF stays on: the screens send the token in the X-CSRFToken header."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("designer", __name__, url_prefix="/designer")
