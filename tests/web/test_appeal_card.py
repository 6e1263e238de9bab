"""The appeal card: building, organisation, deadlines, history, incident, tasks; personal data by role."""
from __future__ import annotations

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.web.screen_helpers import client_as, register


@pytest.fixture
def city(app: Flask) -> City:
    city = build_city()
    client_as(app, "disp", "dispatcher", city.cgds)
    return city


def test_the_card_shows_building_organisation_deadlines_history_and_open_tasks(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    page = client_as(app, "uk1", "org_staff", city.uk1).get(f"/appeals/{appeal.id}").get_data(as_text=True)
    assert f"Обращение № {appeal.number}" in page and "ул. Советская, д. 45" in page
    assert city.uk1.name.replace("«", "&laquo;") in page or city.uk1.name in page
    assert "Принять до" in page and "осталось" in page
    history = page[page.index('id="history"'):]
    assert history.index("Зарегистрировано") < history.index("Передано организации")
    assert "Принять обращение" in page and "/tasks/" in page
    assert "Иванова Анна" in page and "+79001234567" in page


def test_personal_data_is_hidden_from_officials_and_other_organisations(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    official = client_as(app, "official", "official", city.city).get(f"/appeals/{appeal.id}")
    assert official.status_code == 200
    assert "Иванова Анна" not in official.get_data(as_text=True)
    assert "+79001234567" not in official.get_data(as_text=True)
    assert client_as(app, "uk2", "org_staff", city.uk2).get(f"/appeals/{appeal.id}").status_code == 404
    assert "Иванова Анна" in client_as(app, "coord", "coordinator", city.cgds).get(
        f"/appeals/{appeal.id}").get_data(as_text=True)


def test_the_card_lists_the_incident_and_its_other_appeals(app: Flask, city: City) -> None:
    first = register(city.sovetskaya_45.id, text="Нет отопления", category="heating", emergency=True)
    second = register(city.sovetskaya_45.id, text="Холодные батареи", category="heating")
    page = client_as(app, "coord", "coordinator", city.cgds).get(f"/appeals/{first.id}").get_data(as_text=True)
    assert f"Инцидент № {first.incident_id}" in page and f"№ {second.number}" in page


def test_html_in_an_appeals_text_is_shown_as_text_on_the_card_and_in_the_inbox(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id, text="<img src=x onerror=alert(1)>течёт",
                      applicant={"name": "<b>Иван</b>", "phone": "+79001234567"})
    client = client_as(app, "uk1", "org_staff", city.uk1)
    card = client.get(f"/appeals/{appeal.id}").get_data(as_text=True)
    assert "<img src=x" not in card and "&lt;img src=x onerror=alert(1)&gt;течёт" in card
    assert "<b>Иван</b>" not in card and "&lt;b&gt;Иван&lt;/b&gt;" in card
    inbox = client.get("/inbox").get_data(as_text=True) + client.get("/inbox/live").get_json()["html"]
    assert appeal.number in inbox and "<img src=x" not in inbox


def test_a_missing_appeal_is_a_404_page(app: Flask, city: City) -> None:
    assert client_as(app, "coord", "coordinator", city.cgds).get("/appeals/424242").status_code == 404
