"""The map's GeoJSON layers: open appeals coloured by overdue, filters, isolation; outage areas as hulls."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.stats.seed import seed
from workflows.accounts.service import create_token, create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.registry.models import Building
from workflows.stats.geo import convex_hull


def _place_buildings() -> None:
    for n, building in enumerate(db.session.scalars(select(Building).order_by(Building.id))):
        building.lat, building.lon = 52.72 + n / 1000, 41.44 + n / 1000
    db.session.commit()


def _layer(app: Flask, login: str, path: str) -> Any:
    answer = app.test_client().get(path, headers={"Authorization": f"Bearer {create_token(login)}"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.mimetype == "application/geo+json"
    return answer.get_json()


def test_open_appeals_on_the_map(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seeded = seed(db_city, db_clock)
    _place_buildings()
    create_user("official", "official", db_city.city.id, "Correct-horse-1")
    layer = _layer(db_app, "official", "/api/v1/map/appeals")
    assert layer["type"] == "FeatureCollection"
    by_id = {f["properties"]["id"]: f for f in layer["features"]}
    # open now: A4, A5, E1 (overdue) and D1 (in time); resolved, closed and other cities' appeals are not drawn
    ids = seeded.ids
    assert {i: f["properties"]["overdue"] for i, f in by_id.items()} == {
        ids["A4"]: True, ids["A5"]: True, ids["E1"]: True, ids["D1"]: False}
    assert by_id[ids["A4"]]["geometry"] == {"type": "Point", "coordinates": [db_city.sovetskaya_45.lon,
                                                                              db_city.sovetskaya_45.lat]}
    assert by_id[ids["D1"]]["properties"]["category_name"] == "Кровля и водостоки"
    roofs = _layer(db_app, "official", "/api/v1/map/appeals?category=roof")
    assert [f["properties"]["id"] for f in roofs["features"]] == [ids["D1"]]
    assert _layer(db_app, seeded.uk2_staff.login, "/api/v1/map/appeals")["features"] == []
    assert len(_layer(db_app, "official", "/api/v1/map/buildings")["features"]) == 5


def test_map_refuses_bad_input_and_strangers(db_app: Flask, db_city: City) -> None:
    create_user("official", "official", db_city.city.id, "Correct-horse-1")
    client = db_app.test_client()
    token = {"Authorization": f"Bearer {create_token('official')}"}
    bad = client.get("/api/v1/map/appeals?category=flood", headers=token)
    assert bad.status_code == 422 and bad.get_json()["details"]["category"]
    assert client.get("/api/v1/map/appeals").status_code == 401


def test_outage_area_is_the_hull_of_its_buildings() -> None:
    points = [(0.0, 0.0), (2.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 2.0), (1.0, 0.0)]
    assert convex_hull(points) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]
