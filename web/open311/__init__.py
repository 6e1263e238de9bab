"""Open311 GeoReport v2 under /open311/v2/ (JSON and XML; CSRF-exempt: POST carries an api_key)."""
from flask import Blueprint, Flask

from web.errors import register_error_format
from web.open311.formats import error_renderer

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from web.open311 import routes  # noqa: E402,F401  (routes register on bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_error_format(app, bp.url_prefix or "/open311/v2", error_renderer)
