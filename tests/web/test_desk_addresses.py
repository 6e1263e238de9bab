"""The desk finds the house the caller means: typos, ambiguous numbers, houses missing from the registry."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.web.helpers import csrf_token
from tests.web.screen_helpers import client_as
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.registry.models import Building
from workflows.registry.service import fold
from workflows.runtime.models import HumanTask


@pytest.fixture
def city(app: Flask) -> City:
    town = build_city()
    for house in ("107", "10а"):
        address = f"ул. Интернациональная, д. {house}"
        db.session.add(Building(street_type="ул", street="Интернациональная", house=house, district="Ленинский",
                                address=address, search_text=fold(address), management_org_id=town.uk2.id))
    db.session.commit()
    return town


@pytest.fixture
def desk(app: Flask, city: City) -> FlaskClient:
    return client_as(app, "disp", "dispatcher", city.cgds)


def _search(desk: FlaskClient, query: str) -> dict[str, object]:
    answer = desk.get("/desk/buildings", query_string={"q": query})
    assert answer.status_code == 200
    return dict(answer.get_json())


@pytest.mark.parametrize("typed", ["Совецкая 45", "Советсая 45", "советкая 45"])
def test_a_street_with_one_or_two_typos_is_found(desk: FlaskClient, city: City, typed: str) -> None:
    items = _search(desk, typed)["items"]
    assert isinstance(items, list) and items[0]["address"] == "ул. Советская, д. 45"


def test_three_typos_find_nothing_rather_than_a_wrong_street(desk: FlaskClient) -> None:
    assert _search(desk, "Сававетская 45")["items"] == []


def test_an_exact_house_is_marked_exact_and_a_prefix_of_several_is_not(desk: FlaskClient, city: City) -> None:
    exact = _search(desk, "Интернациональная 10")
    assert exact["exact"] == city.tsj_house.id
    assert [i["address"] for i in exact["items"]][:1] == ["ул. Интернациональная, д. 10"]
    several = _search(desk, "Интернациональная 1")
    assert several["exact"] is None
    assert {i["address"] for i in several["items"]} >= {"ул. Интернациональная, д. 10",
                                                        "ул. Интернациональная, д. 107"}


def test_an_ambiguous_typed_address_is_not_registered_and_the_choices_are_shown(desk: FlaskClient) -> None:
    page = desk.get("/desk").get_data(as_text=True)
    answer = desk.post("/desk", data={"csrf_token": csrf_token(page), "address": "Интернациональная 1",
                                      "text": "Не работает домофон"})
    assert answer.status_code == 422
    shown = answer.get_data(as_text=True)
    assert "ул. Интернациональная, д. 107" in shown and "ул. Интернациональная, д. 10" in shown
    assert db.session.query(Appeal).count() == 0


def test_an_address_outside_the_registry_registers_and_goes_to_cgds_to_attach_a_building(app: Flask,
                                                                                        desk: FlaskClient,
                                                                                        city: City) -> None:
    page = desk.get("/desk").get_data(as_text=True)
    answer = desk.post("/desk", data={"csrf_token": csrf_token(page), "address": "Новая улица 3, строящийся дом",
                                      "unlisted": "on", "text": "Течёт крыша", "category": "roof"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    appeal = db.session.query(Appeal).one()
    assert appeal.building_id is None and appeal.address_text == "Новая улица 3, строящийся дом"
    assert appeal.organization_id is None and appeal.status == "registered"
    task = db.session.query(HumanTask).filter_by(appeal_id=appeal.id, status="open").one()
    assert task.name == "reroute" and "dispatcher" in task.role_list
    sheet = desk.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "дома нет в реестре" in sheet and 'id="attach-building"' in sheet
    attached = desk.post(f"/appeals/{appeal.id}/building",
                         data={"csrf_token": csrf_token(sheet), "address": "Советская 47"})
    assert attached.status_code == 302
    db.session.refresh(appeal)
    assert appeal.building_id == city.sovetskaya_47.id and appeal.address_text == "ул. Советская, д. 47"
    card = desk.get(f"/appeals/{appeal.id}").get_data(as_text=True)
    assert "Привязан дом из реестра" in card and "адрес вне реестра: Новая улица 3, строящийся дом" in card
    staff = client_as(app, "uk", "org_staff", city.uk1)
    assert staff.post(f"/appeals/{appeal.id}/building",
                      data={"csrf_token": csrf_token(sheet), "address": "Советская 45"}).status_code in (403, 400)


def test_an_unlisted_address_through_the_api_needs_the_flag(app: Flask, city: City) -> None:
    from tests.web.helpers import user_with_token

    client, headers = app.test_client(), user_with_token("api_disp", "dispatcher", city.cgds)
    refused = client.post("/api/v1/appeals", headers=headers, json={
        "text": "Течёт крыша", "channel": "phone", "address": "Новая улица 3"})
    assert refused.status_code == 422 and refused.get_json()["details"]["address"] == "адрес не найден"
    taken = client.post("/api/v1/appeals", headers=headers, json={
        "text": "Течёт крыша", "channel": "phone", "address": "Новая улица 3", "unlisted_address": True})
    assert taken.status_code == 201 and taken.get_json()["organization"] is None
