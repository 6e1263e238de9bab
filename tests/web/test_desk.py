"""The ЦГДС phone desk: registering a call, field errors, CSRF, caller history, building match, incidents."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.web.helpers import csrf_token
from tests.web.screen_helpers import client_as, register
from workflows.appeals.models import Appeal
from workflows.db import db


@pytest.fixture
def city(app: Flask) -> City:
    return build_city()


@pytest.fixture
def desk(app: Flask, city: City) -> FlaskClient:
    return client_as(app, "disp", "dispatcher", city.cgds)


def _form(desk: FlaskClient) -> str:
    page = desk.get("/desk")
    assert page.status_code == 200
    return csrf_token(page.get_data(as_text=True))


def test_a_call_typed_at_the_desk_is_registered_and_its_number_shown(desk: FlaskClient, city: City) -> None:
    answer = desk.post("/desk", data={"csrf_token": _form(desk), "phone": "8 (900) 123-45-67",
                                      "building_id": str(city.sovetskaya_45.id), "address": "ул. Советская, д. 45",
                                      "category": "roof", "text": "Течёт крыша над кухней", "flat": "12"})
    assert answer.status_code == 302
    appeal = db.session.query(Appeal).one()
    assert appeal.channel == "phone" and appeal.applicant_phone == "+79001234567" and appeal.flat == "12"
    assert appeal.category == "roof" and appeal.category_confirmed and not appeal.emergency
    page = desk.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"№ {appeal.number}" in page and "УК Центральная" in page and "срок" in page


def test_an_address_typed_without_picking_is_resolved_and_the_emergency_flag_kept(desk: FlaskClient,
                                                                                 city: City) -> None:
    answer = desk.post("/desk", data={"csrf_token": _form(desk), "address": "Мичуринская 112", "emergency": "on",
                                      "text": "Нет света во всём подъезде"})
    assert answer.status_code == 302
    appeal = db.session.query(Appeal).one()
    assert appeal.building_id == city.michurinskaya_112.id and appeal.emergency
    assert appeal.category == "electricity" and not appeal.category_confirmed


def test_desk_field_errors_are_shown_beside_the_fields_and_nothing_is_stored(desk: FlaskClient) -> None:
    answer = desk.post("/desk", data={"csrf_token": _form(desk), "phone": "звоните мне", "address": "Нетакая 999",
                                      "category": "nonsense", "text": ""})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    for field in ("phone", "address", "text", "category"):
        assert f'id="error-{field}"' in page, field
    assert 'value="Нетакая 999"' in page  # what was typed is kept
    assert db.session.query(Appeal).count() == 0


@pytest.mark.parametrize("building_id", ["abc", "99999", "-1", "1" * 40])
def test_a_bad_building_id_is_a_field_error_not_a_server_error(desk: FlaskClient, building_id: str) -> None:
    answer = desk.post("/desk", data={"csrf_token": _form(desk), "building_id": building_id, "text": "Течёт крыша"})
    assert answer.status_code == 422 and 'id="error-address"' in answer.get_data(as_text=True)


def test_the_desk_form_without_a_csrf_token_is_refused(desk: FlaskClient, city: City) -> None:
    answer = desk.post("/desk", data={"building_id": str(city.sovetskaya_45.id), "text": "Течёт крыша"})
    assert answer.status_code == 400
    assert db.session.query(Appeal).count() == 0


def test_the_desk_is_only_for_cgds(app: Flask, city: City) -> None:
    staff = client_as(app, "uk", "org_staff", city.uk1)
    assert staff.get("/desk").status_code == 403
    assert staff.get("/desk/buildings?q=Советская").status_code == 403


def test_callers_earlier_appeals_are_found_by_phone_however_it_is_written(desk: FlaskClient, city: City) -> None:
    earlier = register(city.sovetskaya_45.id)
    answer = desk.get("/desk/caller?phone=8-900-123-45-67").get_json()
    assert answer["phone"] == "+79001234567"
    assert [item["number"] for item in answer["items"]] == [earlier.number]
    assert answer["items"][0]["building_id"] == city.sovetskaya_45.id
    assert desk.get("/desk/caller?phone=+7 999 000 00 00").get_json()["items"] == []
    assert desk.get("/desk/caller?phone=<script>").get_json()["items"] == []


def test_live_building_match_names_each_buildings_uk(desk: FlaskClient, city: City) -> None:
    items = desk.get("/desk/buildings?q=Совет 45").get_json()["items"]
    assert items[0]["id"] == city.sovetskaya_45.id
    assert items[0]["management_organization"]["name"] == city.uk1.name
    assert desk.get("/desk/buildings?q=").get_json() == {"items": [], "exact": None, "query": ""}


def test_open_incidents_on_a_building_are_shown_and_a_call_about_it_joins(desk: FlaskClient, city: City) -> None:
    first = register(city.sovetskaya_45.id, text="Нет отопления во всём доме", category="heating", emergency=True)
    card = desk.get(f"/desk/buildings/{city.sovetskaya_45.id}").get_json()
    assert card["management_organization"]["name"] == city.uk1.name
    [incident] = card["incidents"]
    assert incident["id"] == first.incident_id and incident["category"] == "heating" and incident["appeals"] == 1
    assert incident["primary_number"] == first.number
    answer = desk.post("/desk", data={"csrf_token": _form(desk), "building_id": str(city.sovetskaya_45.id),
                                      "category": "heating", "text": "Холодные батареи"})
    joined = db.session.query(Appeal).order_by(Appeal.id.desc()).first()
    assert joined.incident_id == first.incident_id and joined.status == "joined"
    assert f"присоединено к инциденту № {first.incident_id}" in desk.get(answer.headers["Location"]).get_data(
        as_text=True)
    assert desk.get("/desk/buildings/999999").status_code == 404


def test_the_category_and_emergency_are_suggested_from_the_text(desk: FlaskClient) -> None:
    assert desk.get("/desk/suggest?text=Прорвало трубу отопления, хлещет").get_json() == {
        "category": "heating", "category_name": "Отопление", "emergency": True}
    assert desk.get("/desk/suggest?text=").get_json()["category"] is None
