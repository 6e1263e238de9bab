"""Screens and JSON endpoints for process designers under /designer (roles designer and admin)."""
from __future__ import annotations

from flask import Flask

from web.designer import api, screens, vendor  # noqa: F401  (routes register on bp)
from web.designer.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
