"""The city map: open appeals (clustered, coloured by overdue), incidents and outage areas over the buildings."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g, render_template, url_for

from web.auth import login_may
from workflows.registry.service import list_organizations

bp = Blueprint("map", __name__)


@bp.get("/map")
@login_may("stats.read")
def map_show() -> Any:
    urls = {name: url_for(f"api.map_{name}") for name in ("appeals", "incidents", "outages", "buildings")}
    return render_template("map/map.html", urls=urls, tiles=str(current_app.config.get("MAP_TILES") or ""),
                           attribution=str(current_app.config.get("MAP_ATTRIBUTION") or ""),
                           organizations=list_organizations() if g.user.city_wide else [])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
