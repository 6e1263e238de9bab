"""The map's layers as GeoJSON under /api/v1/map/ (a bearer token, or the session of the map page)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from web.api import bp
from web.api.params import int_arg
from web.auth import api_user
from web.errors import error_response
from workflows.accounts.models import User
from workflows.appeals.catalog import CODES
from workflows.errors import ValidationFailed
from workflows.stats import geo

GEOJSON = "application/geo+json"


def _caller() -> User | None:
    user = api_user()
    if user is None and current_user.is_authenticated:
        user = current_user._get_current_object()  # the map page fetches with its session (GET only)
    return user


def _answer(layer: Any) -> Any:
    user = _caller()
    if user is None:
        return error_response(401, "unauthorized", "нужен вход или ключ API")
    response = jsonify(layer(user))
    response.mimetype = GEOJSON
    return response


@bp.get("/map/appeals")
def map_appeals() -> Any:
    category = request.args.get("category") or None
    if category is not None and category not in CODES:
        raise ValidationFailed("неизвестная категория", {"category": f"одна из: {', '.join(CODES)}"})
    organization_id = int_arg("organization_id")
    return _answer(lambda user: geo.appeals_layer(user, category, organization_id))


@bp.get("/map/incidents")
def map_incidents() -> Any:
    return _answer(lambda user: geo.incidents_layer())


@bp.get("/map/outages")
def map_outages() -> Any:
    return _answer(lambda user: geo.outages_layer())


@bp.get("/map/buildings")
def map_buildings() -> Any:
    return _answer(lambda user: geo.buildings_layer())
