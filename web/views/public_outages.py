"""The public outages page (no login, Russian, phone-friendly) and per-building Atom and iCalendar feeds."""
from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from web.api.params import int_arg
from workflows import clock
from workflows.db import db
from workflows.errors import NotFound
from workflows.outages import feeds, public
from workflows.registry.models import Building

bp = Blueprint("public_outages", __name__)
_lock = threading.Lock()
_city_cache: dict[str, tuple[tuple[Any, ...], Markup]] = {}


def _building(building_id: int) -> Building:
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    return building


@bp.get("/outages")
def outages_page() -> Any:
    building_id = int_arg("building_id")
    query = (request.args.get("address") or request.args.get("q") or "").strip()[:300]
    candidates: list[dict[str, Any]] = []
    building = _building(building_id) if building_id is not None else None
    if building is None and query:
        building, candidates = public.find_building(query)
    mine = public.building_outages(building.id) if building is not None else []
    answer = render_template("outages/public.html", building=building, mine=mine, candidates=candidates, query=query,
                             city=_city_section(), public_dict=public.public_dict)
    return answer, 200, {"Cache-Control": "public, max-age=30"}


def _city_section() -> Markup:
    """The city's list, rendered once per change (or minute) and shared by every request of this process."""
    key = (str(db.engine.url), *public.city_fingerprint())
    with _lock:
        cached = _city_cache.get(key[0])
        if cached is not None and cached[0] == key:
            return cached[1]
    districts = public.city_outages()
    total = len({row.id for _, resources in districts for _, rows in resources for row in rows})
    html = Markup(render_template("outages/_city.html", districts=districts, total=total))
    with _lock:
        _city_cache[key[0]] = (key, html)
    return html


@bp.get("/outages/<int:building_id>.atom")
def outages_atom(building_id: int) -> Any:
    building = _building(building_id)
    # Links from the configured public address when there is one, not from the request's Host header.
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    page = base + url_for("public_outages.outages_page", building_id=building.id) if base \
        else url_for("public_outages.outages_page", building_id=building.id, _external=True)
    own = base + url_for("public_outages.outages_atom", building_id=building.id) if base else request.url
    body = feeds.atom(building, public.feed_outages(building.id), page, own, clock.now())
    return Response(body, mimetype="application/atom+xml")


@bp.get("/outages/<int:building_id>.ics")
def outages_ics(building_id: int) -> Any:
    building = _building(building_id)
    body = feeds.ical(building, public.feed_outages(building.id), clock.now())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="outages-{building.id}.ics"'})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
