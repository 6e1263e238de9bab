"""The application factory: a flat list of init_app calls."""
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
from workflows import delivery, integrations, outages, residents, social_intake
from workflows.clock import SystemClock
from workflows.db import db, tune_sqlite
from workflows.failures.hook import on_failed
from workflows.failures.manual import complete_manual, on_recovered
from workflows.operations import (
    default_form_checks,
    default_operation_interfaces,
    default_operations,
    default_script_functions,
    default_value_checks,
)
from workflows.queue import Scheduler, make_huey, register_tasks

MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate()
csrf = CSRFProtect()


def init_queue(app: Flask) -> None:
    huey = make_huey(str(app.config["QUEUE_URL"]), immediate=bool(app.config["QUEUE_IMMEDIATE"]))
    tasks = register_tasks(huey, app)
    app.extensions["otklik.huey"] = huey
    app.extensions["otklik.tasks"] = tasks
    app.extensions["otklik.scheduler"] = Scheduler(tasks)


def init_runtime(app: Flask) -> None:
    app.extensions.setdefault("otklik.clock", SystemClock())
    app.extensions["otklik.operations"] = default_operations()
    app.extensions["otklik.operation_interfaces"] = default_operation_interfaces()
    app.extensions["otklik.value_checks"] = default_value_checks()
    app.extensions["otklik.failure_hook"] = on_failed
    app.extensions["otklik.manual_task"] = complete_manual
    app.extensions["otklik.recovery_hook"] = on_recovered
    app.extensions["otklik.script_functions"] = default_script_functions()
    app.extensions["otklik.form_checks"] = default_form_checks()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=instance_path())
    converters.init_app(app)
    configure(app, config)
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    errors.init_app(app)
    guard.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    init_runtime(app)
    delivery.init_app(app)
    integrations.init_app(app)
    residents.init_app(app)
    outages.init_app(app)  # after the resident bot: its /start and /stop chain to theirs
    social_intake.init_app(app)
    init_queue(app)
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
