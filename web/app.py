"""The application factory: a flat list of init_app calls; the services come from workflows.wiring."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from web import (
    auth,
    cli,
    converters,
    designer,
    errors,
    failures_ui,
    guard,
    health,
    open311,
    screens,
    security,
    social_ui,
    throttle,
    ui,
    webhooks,
)
from web.api import bp as api_bp
from web.config import configure, instance_path
from web.views import admin_home, public_outages
from web.views import analytics as analytics_ui
from web.views import board as board_ui
from web.views import digest as digest_ui
from web.views import map as map_ui
from web.views import open_data as open_data_ui
from web.views import outages as outages_ui
from web.views import ratings as ratings_ui
from web.views import vendor as vendor_libraries
from workflows.db import db, ping_when_idle, tune_sqlite
from workflows.services import install
from workflows.wiring import build_services

MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate()
csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=instance_path())
    converters.init_app(app)
    configure(app, config)
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
        ping_when_idle(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    errors.init_app(app)
    guard.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    # the services (queue, clock, operations, inbound handlers, connectors): built and checked once
    install(app, build_services(app))
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(webhooks.bp)
    app.register_blueprint(webhooks.bp)
    csrf.exempt(open311.bp)
    open311.init_app(app)
    health.init_app(app)
    ui.init_app(app)
    screens.init_app(app)
    social_ui.init_app(app)
    public_outages.init_app(app)
    outages_ui.init_app(app)
    board_ui.init_app(app)
    analytics_ui.init_app(app)
    map_ui.init_app(app)
    digest_ui.init_app(app)
    open_data_ui.init_app(app)
    ratings_ui.init_app(app)
    vendor_libraries.init_app(app)
    designer.init_app(app)
    failures_ui.init_app(app)
    admin_home.init_app(app)
    cli.init_app(app)
    throttle.init_app(app)  # last: it wraps views the blueprints registered
    return app
