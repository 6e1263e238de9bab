"""POST requests: an Open311 service request becomes an appeal (channel "open311"), idempotently."""
from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from workflows.accounts.models import User
from workflows.appeals.intake import register_appeal
from workflows.appeals.models import Appeal
from workflows.appeals.notify import render
from workflows.db import db
from workflows.errors import Forbidden, ValidationFailed
from workflows.ids import digits
from workflows.open311.services import emergency_from, service_category
from workflows.registry.models import Building

NEAREST_WITHIN_M = 300.0
EARTH_RADIUS_M = 6371000.0


def require_client(user: User | None) -> User:
    """The api_key must be an integration user's token (the specification's 403 otherwise)."""
    if user is None or user.role != "integration":
        raise Forbidden("api_key не указан или неверен")
    return user


def _number(raw: str | None, field: str, low: float, high: float) -> float:
    try:
        value = float(raw or "")
    except ValueError:
        raise ValidationFailed(f"{field} должно быть числом", {field: "число"}) from None
    if not low <= value <= high or math.isnan(value):
        raise ValidationFailed(f"{field} is out of range", {field: f"{low}..{high}"})
    return value


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def nearest_building(lat: float, lon: float) -> int:
    box = 0.01
    rows = db.session.execute(select(Building.id, Building.lat, Building.lon).where(
        Building.lat.between(lat - box, lat + box), Building.lon.between(lon - box * 2, lon + box * 2)))
    scored = sorted((_distance_m(lat, lon, r[1], r[2]), r[0]) for r in rows if r[1] is not None and r[2] is not None)
    if not scored or scored[0][0] > NEAREST_WITHIN_M:
        raise ValidationFailed("в реестре нет дома в точке lat/long", {"lat": "рядом с этой точкой нет дома"})
    return scored[0][1]


def _building(building_id: int) -> Building | None:
    # With its suppliers in the same query: registering the appeal routes by them next.
    return db.session.get(Building, building_id, options=[joinedload(Building.suppliers)])


def _location(params: dict[str, str]) -> dict[str, Any]:
    address_id = (params.get("address_id") or "").strip()
    if address_id:
        if not digits(address_id) or len(address_id) > 9 or _building(int(address_id)) is None:
            raise ValidationFailed(f"дом address_id {address_id} не найден", {"address_id": "нет такого дома"})
        return {"building_id": int(address_id)}
    if params.get("lat") or params.get("long"):
        lat = _number(params.get("lat"), "lat", -90, 90)
        lon = _number(params.get("long"), "long", -180, 180)
        return {"building_id": nearest_building(lat, lon)}
    address = (params.get("address_string") or "").strip()
    if not address:
        raise ValidationFailed("нужно место: lat и long, address_string или address_id",
                               {"address_string": "обязательно"})
    return {"address": address}


def create_request(params: dict[str, str], attributes: dict[str, str], client: User) -> tuple[dict[str, Any], bool]:
    """Register the appeal (flushes; the request commits); the same client + `external_id` again answers with
    the first one."""
    category = service_category(params.get("service_code"))
    emergency, kind = emergency_from(category, attributes)
    name = " ".join(p for p in ((params.get("first_name") or "").strip(), (params.get("last_name") or "").strip()) if p)
    text = (params.get("description") or "").strip() or category.name
    if kind:
        text = f"{kind}. {text}"
    external = (params.get("external_id") or "").strip()
    payload: dict[str, Any] = {
        "text": text, "channel": "open311", "category": category.code, "emergency": emergency,
        "applicant": {"name": name or None, "phone": (params.get("phone") or "").strip() or None,
                      "channel": "open311"},
        "flat": (attributes.get("flat") or "").strip()[:20] or None,
        "external_id": f"{client.id}:{external}"[:200] if external else None, **_location(params)}
    registration = register_appeal(payload, client, present=_answer)
    return registration.view, registration.created


def _answer(appeal: Appeal) -> dict[str, Any]:
    """GeoReport v2: the id when the request is created at once (always here), the token only when queued —
    never both. `tokens/{token}` still answers tokens handed out earlier."""
    return {"service_request_id": str(appeal.id), "service_notice": render(appeal, "registered"), "account_id": None}
