"""Outages at the desk: the building card shows current and planned outages during the call; a call about
that resource is recognised, joins the outage's incident, and the desk and the API say the expected end."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.web.helpers import csrf_token, user_with_token
from tests.web.screen_helpers import client_as
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.services import services_of


@pytest.fixture
def city(app: Flask) -> City:
    town = build_city()
    client = app.test_client()
    clock = services_of(app).clock
    water = user_with_token("water", "org_staff", town.water)
    heat = user_with_token("heat", "org_staff", town.heat)
    for headers, org, resource, kind, start, hours, text in (
            (water, town.water, "cold_water", "emergency", timedelta(hours=-1), 6, "порыв водовода"),
            (heat, town.heat, "hot_water", "planned", timedelta(days=15), 8, "замена задвижки")):
        answer = client.post("/api/v1/outages", headers=headers, json={
            "kind": kind, "resource": resource, "organization_id": org.id,
            "starts_at": (clock.now() + start).isoformat(),
            "ends_at": (clock.now() + start + timedelta(hours=hours)).isoformat(),
            "description": text, "addresses": ["Советская 45"]})
        assert answer.status_code == 201, answer.get_json()
    return town


@pytest.fixture
def desk(app: Flask, city: City) -> FlaskClient:
    return client_as(app, "disp", "dispatcher", city.cgds)


def test_the_building_card_shows_current_and_planned_outages_with_the_expected_end(desk: FlaskClient,
                                                                                  city: City) -> None:
    card = desk.get(f"/desk/buildings/{city.sovetskaya_45.id}").get_json()
    shown = [(o["resource_name"], o["current"], o["description"], o["ends_at"]) for o in card["outages"]]
    assert shown == [("холодная вода", True, "порыв водовода", "02.11.2026 17:00"),
                     ("горячая вода", False, "замена задвижки", "17.11.2026 20:00")]
    assert desk.get(f"/desk/buildings/{city.sovetskaya_47.id}").get_json()["outages"] == []


def test_a_call_about_no_cold_water_joins_the_outage_and_the_desk_tells_the_expected_end(desk: FlaskClient,
                                                                                        city: City) -> None:
    page = desk.get("/desk").get_data(as_text=True)
    answer = desk.post("/desk", data={"csrf_token": csrf_token(page), "building_id": str(city.sovetskaya_45.id),
                                      "phone": "+79001234567", "text": "нет холодной воды",
                                      "emergency": "on"})  # ticked by the page from the suggestion
    assert answer.status_code == 302, answer.get_data(as_text=True)
    appeal = db.session.query(Appeal).one()
    assert appeal.category == "cold_water" and appeal.emergency and not appeal.category_confirmed
    assert desk.get("/desk/suggest", query_string={"text": "нет холодной воды"}).get_json() == {
        "category": "cold_water", "category_name": "Холодное водоснабжение", "emergency": True}
    assert appeal.status == "joined" and appeal.incident is not None and appeal.incident.outage_id is not None
    banner = desk.get(answer.headers["Location"]).get_data(as_text=True)
    note = banner[banner.index('id="outage-note"'):]
    assert "холодная вода" in note and "порыв водовода" in note and "02.11.2026 17:00" in note


def test_the_api_answer_carries_the_outage_of_that_resource_only(app: Flask, city: City) -> None:
    client, headers = app.test_client(), user_with_token("api", "dispatcher", city.cgds)
    water = client.post("/api/v1/appeals", headers=headers, json={
        "text": "отключили воду", "channel": "phone", "building_id": city.sovetskaya_45.id}).get_json()
    assert water["category"] == "cold_water" and water["outage"]["resource"] == "cold_water"
    assert water["outage"]["ends_at"].startswith("2026-11-02T14:00")
    roof = client.post("/api/v1/appeals", headers=headers, json={
        "text": "течёт с потолка", "channel": "phone", "building_id": city.sovetskaya_45.id}).get_json()
    assert roof["category"] == "roof" and roof["outage"] is None
