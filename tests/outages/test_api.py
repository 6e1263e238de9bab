"""The outage API of the contract: register, read, change, restore, deliveries; roles and isolation."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.appeals.city import City
from tests.outages.helpers import representative
from tests.web.helpers import user_with_token
from workflows.clock import FakeClock


def _body(city: City, clock: FakeClock, **extra: object) -> dict[str, object]:
    return {"kind": "emergency", "resource": "cold_water", "organization_id": city.water.id,
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=3)).isoformat(),
            "description": "порыв", **extra}


def test_register_change_restore_and_count_deliveries(app: Flask, city: City, clock: FakeClock) -> None:
    representative(city.sovetskaya_45, 9001)
    staff = user_with_token("water", "org_staff", city.water)
    client = app.test_client()
    created = client.post("/api/v1/outages", json=_body(city, clock, addresses=["Советская 45-47"]), headers=staff)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "announced" and data["violations"] == []
    assert sorted(b["id"] for b in data["affected_buildings"]) == [city.sovetskaya_45.id, city.sovetskaya_47.id]
    outage_id = data["id"]
    new_end = (clock.now() + timedelta(hours=5)).isoformat()
    assert client.patch(f"/api/v1/outages/{outage_id}", json={"ends_at": new_end}, headers=staff).status_code == 200
    assert client.post(f"/api/v1/outages/{outage_id}/restore", headers=staff).status_code == 200
    assert client.get(f"/api/v1/outages/{outage_id}/deliveries", headers=staff).get_json() == {
        "total": 3, "sent": 3, "failed": 0, "pending": 0, "acknowledged": 0}
    assert client.post(f"/api/v1/outages/{outage_id}/restore", headers=staff).status_code == 409
    listed = client.get("/api/v1/outages?status=restored", headers=staff).get_json()
    assert [o["id"] for o in listed["items"]] == [outage_id]


def test_bad_input_gets_field_errors_and_organisations_stay_apart(app: Flask, city: City, clock: FakeClock) -> None:
    water = user_with_token("water", "org_staff", city.water)
    power = user_with_token("power", "org_staff", city.power)
    client = app.test_client()
    bad = client.post("/api/v1/outages", json={"kind": "x", "starts_at": "вчера", "addresses": ["Нетакой 999"]},
                      headers=water)
    assert bad.status_code == 422
    assert {"kind", "resource", "starts_at", "ends_at", "addresses"} <= set(bad.get_json()["details"])
    assert client.post("/api/v1/outages", json=_body(city, clock, building_ids=[city.sovetskaya_45.id]),
                       headers=power).status_code == 422  # another organisation's outage
    outage_id = client.post("/api/v1/outages", json=_body(city, clock, building_ids=[city.sovetskaya_45.id]),
                            headers=water).get_json()["id"]
    assert client.get(f"/api/v1/outages/{outage_id}", headers=power).status_code == 404
    assert client.patch(f"/api/v1/outages/{outage_id}", json={"ends_at": "soon"}, headers=water).status_code == 422
    assert client.post("/api/v1/outages", data="x", headers=water).status_code == 422
    assert client.get("/api/v1/outages/1").status_code == 401


def test_a_district_scope_takes_every_building_the_organisation_supplies_there(
        app: Flask, city: City, clock: FakeClock) -> None:
    dispatcher = user_with_token("cgds", "dispatcher")
    preview = app.test_client().post("/api/v1/outages/preview", json=_body(city, clock, district="Ленинский"),
                                     headers=dispatcher)
    assert preview.status_code == 200 and preview.get_json()["count"] == 4
