"""The map's layers as GeoJSON: open appeals, open incidents, outage areas, and every building."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from workflows import clock, resources
from workflows.accounts.models import User
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.models import WORKING_STATUSES, Appeal, Incident
from workflows.db import db
from workflows.outages.models import Outage, OutageBuilding
from workflows.registry.models import Building, Organization
from workflows.stats.facts import organization_scope

MAP_STATUSES = (*WORKING_STATUSES, "joined")
FEATURE_LIMIT = 20000
RESOURCE_NAMES = resources.names()
Point = tuple[float, float]


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _point(lon: float | None, lat: float | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def appeals_layer(user: User, category: str | None = None, organization_id: int | None = None) -> dict[str, Any]:
    """Open appeals at their buildings, with what colours them (overdue, emergency)."""
    now, scope = clock.now(), organization_scope(user)
    query = (select(Appeal.id, Appeal.number, Appeal.category, Appeal.emergency, Appeal.due_at, Appeal.status,
                    Appeal.incident_id, Building.lon, Building.lat, Building.address, Organization.name)
             .join(Building, Building.id == Appeal.building_id)
             .outerjoin(Organization, Organization.id == Appeal.organization_id)
             .where(Appeal.status.in_(MAP_STATUSES), Building.lat.is_not(None)))
    if scope is not None:
        query = query.where(Appeal.organization_id == scope)
    if category:
        query = query.where(Appeal.category == category)
    if organization_id:
        query = query.where(Appeal.organization_id == organization_id)
    features = []
    for r in db.session.execute(query.order_by(Appeal.id).limit(FEATURE_LIMIT)):
        entry = BY_CODE.get(r.category)
        overdue = r.status in WORKING_STATUSES and r.due_at is not None and r.due_at < now
        features.append(_point(r.lon, r.lat, {
            "id": r.id, "number": r.number, "category": r.category, "category_name": entry.name if entry else "",
            "emergency": bool(r.emergency), "overdue": overdue, "incident_id": r.incident_id,
            "address": r.address, "organization": r.name}))
    return collection(features)


def incidents_layer() -> dict[str, Any]:
    rows = db.session.execute(
        select(Incident.id, Incident.resource, Incident.opened_at, Building.lon, Building.lat, Building.address,
               func.count(Appeal.id))
        .join(Building, Building.id == Incident.building_id).outerjoin(Appeal, Appeal.incident_id == Incident.id)
        .where(Incident.status == "open", Building.lat.is_not(None))
        .group_by(Incident.id, Building.lon, Building.lat, Building.address).limit(FEATURE_LIMIT))
    return collection([_point(r[3], r[4], {"id": r[0], "resource_name": RESOURCE_NAMES.get(r[1], ""),
                                           "opened_at": r[2].isoformat(), "address": r[5], "appeals": int(r[6])})
                       for r in rows])


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: list[Point]) -> list[Point]:
    """Andrew's monotone chain; the hull counter-clockwise, without repeating the first point."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _area(points: list[Point]) -> dict[str, Any]:
    hull = convex_hull(points)
    if len(hull) >= 3:
        ring = [list(p) for p in hull] + [list(hull[0])]
        return {"type": "Polygon", "coordinates": [ring]}
    return {"type": "MultiPoint", "coordinates": [list(p) for p in hull]}


def outages_layer() -> dict[str, Any]:
    """Current and planned outages: the area their buildings cover."""
    now = clock.now()
    outages = db.session.scalars(select(Outage).where(Outage.status == "announced", Outage.restored_at.is_(None))
                                 .order_by(Outage.starts_at).limit(500)).all()
    features = []
    for outage in outages:
        points = [(float(lon or 0), float(lat or 0)) for lon, lat in db.session.execute(
            select(Building.lon, Building.lat).join(OutageBuilding, OutageBuilding.building_id == Building.id)
            .where(OutageBuilding.outage_id == outage.id, Building.lat.is_not(None)))]
        if not points:
            continue
        features.append({"type": "Feature", "geometry": _area(points), "properties": {
            "id": outage.id, "resource_name": RESOURCE_NAMES.get(outage.resource, ""), "kind": outage.kind,
            "current": outage.starts_at <= now, "starts_at": outage.starts_at.isoformat(),
            "ends_at": outage.ends_at.isoformat(), "buildings": outage.building_count,
            "organization": outage.organization.name, "description": outage.description}})
    return collection(features)


def buildings_layer() -> dict[str, Any]:
    rows = db.session.execute(select(Building.id, Building.lon, Building.lat, Building.address,
                                     Building.geo_approximate).where(Building.lat.is_not(None))
                              .order_by(Building.id).limit(FEATURE_LIMIT))
    return collection([_point(r[1], r[2], {"id": r[0], "address": r[3], "approximate": bool(r[4])}) for r in rows])
