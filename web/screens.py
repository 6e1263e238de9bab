"""The appeal screens: the phone desk, the registry, the appeal card, and their labels."""
from __future__ import annotations

from flask import Flask

from web import appeal_pages, desk, labels


def init_app(app: Flask) -> None:
    labels.init_app(app)
    app.register_blueprint(desk.bp)
    app.register_blueprint(appeal_pages.bp)
