"""The administration section: one page linking the screens the signed-in role may open, and the wiring."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template

from web.auth import login_may
from web.views import admin_orgs, admin_reps, admin_users, admin_waves

bp = Blueprint("admin_home", __name__, url_prefix="/admin")


@bp.get("")
@login_may("admin.home")
def admin_index() -> Any:
    return render_template("admin/index.html")


def init_app(app: Flask) -> None:
    for blueprint in (bp, admin_waves.bp, admin_reps.bp, admin_users.bp, admin_orgs.bp):
        app.register_blueprint(blueprint)
