"""One task screen: the appeal, deadlines, history, the building's incidents and outages, the organisation's
contacts and the form — on the page and in GET /api/v1/tasks/{id}; reroute by name; urgency first."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.web.helpers import PASSWORD, csrf_token, login, user_with_token
from tests.web.screen_helpers import ScreenClient, register
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.runtime.models import HumanTask
from workflows.runtime.timers import sweep_timers
from workflows.services import services_of


@pytest.fixture
def city(app: Flask) -> City:
    town = build_city()
    town.uk1.phone = "+7 4752 11-22-33"
    db.session.commit()
    for login_name, role, org in (("disp", "dispatcher", town.cgds), ("coord", "coordinator", town.cgds),
                                  ("uk1", "org_staff", town.uk1), ("head1", "org_head", town.uk1),
                                  ("uk2", "org_staff", town.uk2), ("official", "official", town.city),
                                  ("water", "org_staff", town.water)):
        create_user(login_name, role, org.id, PASSWORD, full_name=f"Сотрудник {login_name}")
    return town


def browser(app: Flask, login_name: str) -> FlaskClient:
    client = ScreenClient(app, app.response_class, use_cookies=True)
    login(client, login_name)
    return client


def open_task(appeal_id: int, name: str) -> HumanTask:
    return db.session.query(HumanTask).filter_by(appeal_id=appeal_id, name=name, status="open").one()


def complete(client: FlaskClient, task: HumanTask, **values: Any) -> Any:
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    return client.post(f"/tasks/{task.id}", data={"csrf_token": csrf_token(page), **values})


def assert_summary(page: str, appeal_text: str, address: str) -> None:
    assert appeal_text in page and address in page
    assert 'id="deadlines"' in page and "Принять до" in page and "Устранить до" in page
    assert 'id="history"' in page and "Зарегистрировано" in page
    assert 'id="building-outages"' in page and 'id="building-incidents"' in page and 'id="organization"' in page


def test_each_task_kind_shows_the_appeal_with_deadlines_history_and_the_form(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id, text="Течёт крыша над кухней, кв. 12")
    staff, disp = browser(app, "uk1"), browser(app, "disp")
    accept = staff.get(f"/tasks/{open_task(appeal.id, 'accept').id}").get_data(as_text=True)
    assert_summary(accept, "Течёт крыша над кухней, кв. 12", "ул. Советская, д. 45")
    assert "Иванова Анна" in accept and "+79001234567" in accept and "осталось" in accept
    assert "+7 4752 11-22-33" in accept and 'id="task-form"' in accept and "Принять в работу" in accept
    refused = complete(staff, open_task(appeal.id, "accept"), decision="misrouted", comment="не наш дом")
    assert refused.status_code == 302
    reroute = disp.get(f"/tasks/{open_task(appeal.id, 'reroute').id}").get_data(as_text=True)
    assert_summary(reroute, "Течёт крыша над кухней, кв. 12", "ул. Советская, д. 45")
    assert "не наш дом" in reroute and "Возвращено: не наше" in reroute
    assert complete(disp, open_task(appeal.id, "reroute"), organization_id=str(city.uk1.id)).status_code == 302
    assert complete(staff, open_task(appeal.id, "accept"), decision="accept").status_code == 302
    resolve = staff.get(f"/tasks/{open_task(appeal.id, 'resolve').id}").get_data(as_text=True)
    assert_summary(resolve, "Течёт крыша над кухней, кв. 12", "ул. Советская, д. 45")
    assert "Принято в работу" in resolve and "Устранено" in resolve
    services_of(app).clock.advance(timedelta(days=20))
    sweep_timers()
    escalation = browser(app, "head1").get(f"/tasks/{open_task(appeal.id, 'escalation').id}").get_data(as_text=True)
    assert_summary(escalation, "Течёт крыша над кухней, кв. 12", "ул. Советская, д. 45")
    assert "просрочено" in escalation and "Принятые меры" in escalation


def test_the_official_reads_the_task_without_personal_data_and_without_a_form(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    page = browser(app, "official").get(f"/tasks/{open_task(appeal.id, 'accept').id}").get_data(as_text=True)
    assert "Течёт крыша над кухней" in page and "Иванова Анна" not in page and "+79001234567" not in page
    assert 'id="task-form"' not in page and "Взять" not in page and "для сведения" in page


def test_the_api_gives_the_task_with_the_appeal_summary(app: Flask, city: City) -> None:
    client = app.test_client()
    water = user_with_token("water_api", "org_staff", city.water)
    outage = client.post("/api/v1/outages", headers=water, json={
        "kind": "emergency", "resource": "cold_water", "organization_id": city.water.id,
        "starts_at": services_of(app).clock.now().isoformat(),
        "ends_at": (services_of(app).clock.now() + timedelta(hours=6)).isoformat(),
        "description": "порыв на сети", "addresses": ["Советская 45"]})
    assert outage.status_code == 201, outage.get_json()
    appeal = register(city.sovetskaya_45.id)
    staff = user_with_token("uk1_api", "org_staff", city.uk1)
    task = open_task(appeal.id, "accept")
    body = client.get(f"/api/v1/tasks/{task.id}", headers=staff).get_json()
    assert body["id"] == task.id and body["name"] == "accept" and body["form"]["required"] == ["decision"]
    assert body["assignee"] is None and body["held_by"] is None
    assert body["organization"] == {"id": city.uk1.id, "name": city.uk1.name, "kind": "uk",
                                    "phone": "+7 4752 11-22-33"}
    summary = body["appeal"]
    assert summary["number"] == appeal.number and summary["text"] == "Течёт крыша над кухней"
    assert summary["applicant"]["name"] == "Иванова Анна" and summary["channel"] == "phone"
    assert [e["kind"] for e in summary["history"]][0] == "registered"
    assert summary["history"][0]["actor"]["role"] == "dispatcher"
    outages = summary["building"]["outages"]
    assert [(o["resource"], o["current"], o["description"]) for o in outages] == [
        ("cold_water", True, "порыв на сети")]
    official = user_with_token("official_api", "official", city.city)
    hidden = client.get(f"/api/v1/tasks/{task.id}", headers=official).get_json()["appeal"]
    assert "applicant" not in hidden and hidden["text"] == "Течёт крыша над кухней"
    assert client.get(f"/api/v1/tasks/{task.id}", headers=user_with_token("uk2_api", "org_staff",
                                                                            city.uk2)).status_code == 404


def test_the_task_page_shows_the_buildings_outages_and_open_incidents(app: Flask, city: City) -> None:
    clock = services_of(app).clock
    heat = user_with_token("heat_api", "org_staff", city.heat)
    planned = app.test_client().post("/api/v1/outages", headers=heat, json={
        "kind": "planned", "resource": "hot_water", "organization_id": city.heat.id,
        "starts_at": (clock.now() + timedelta(days=15)).isoformat(),
        "ends_at": (clock.now() + timedelta(days=15, hours=4)).isoformat(),
        "description": "замена задвижки", "addresses": ["Советская 45"]})
    assert planned.status_code == 201, planned.get_json()
    first = register(city.sovetskaya_45.id, text="Нет отопления во всём доме", category="heating", emergency=True)
    page = browser(app, "uk1").get(f"/tasks/{open_task(first.id, 'accept').id}").get_data(as_text=True)
    outages = page[page.index('id="building-outages"'):page.index('id="building-incidents"')]
    assert "Горячее водоснабжение" in outages and "замена задвижки" in outages and "сейчас" not in outages
    incidents = page[page.index('id="building-incidents"'):]
    assert f"№ {first.incident_id}" in incidents and "Отопление" in incidents


def test_reroute_is_chosen_by_name_from_a_searchable_list_and_errors_are_russian(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    staff, disp = browser(app, "uk1"), browser(app, "disp")
    complete(staff, open_task(appeal.id, "accept"), decision="misrouted")
    task = open_task(appeal.id, "reroute")
    page = disp.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'type="number"' not in page and 'class="org-filter"' in page
    assert f'<option value="{city.water.id}"' in page and "ООО «РКС-Тамбов» — холодная вода, водоотведение" in page
    assert '<optgroup label="РСО">' in page and '<optgroup label="УК">' in page
    wrong = complete(disp, task, organization_id="999999")
    assert wrong.status_code == 422
    assert "такой организации нет; выберите организацию из списка" in wrong.get_data(as_text=True)
    empty = complete(disp, task, comment="без организации")
    assert empty.status_code == 422 and "обязательное поле" in empty.get_data(as_text=True)
    assert complete(disp, task, organization_id=str(city.uk2.id)).status_code == 302
    assert db.session.get(type(appeal), appeal.id).organization_id == city.uk2.id


def test_the_api_refuses_an_unknown_organisation_in_russian_and_the_process_goes_on(app: Flask, city: City) -> None:
    client = app.test_client()
    appeal = register(city.sovetskaya_45.id)
    staff, disp = user_with_token("s", "org_staff", city.uk1), user_with_token("d", "dispatcher", city.cgds)
    client.post(f"/api/v1/tasks/{open_task(appeal.id, 'accept').id}/complete", headers=staff,
                json={"data": {"decision": "misrouted"}})
    task = open_task(appeal.id, "reroute")
    answer = client.post(f"/api/v1/tasks/{task.id}/complete", headers=disp, json={"data": {"organization_id": 99999}})
    assert answer.status_code == 422
    assert answer.get_json()["details"] == {"organization_id": "такой организации нет; выберите организацию из списка"}
    bad_type = client.post(f"/api/v1/tasks/{task.id}/complete", headers=disp, json={"data": {"organization_id": "x"}})
    assert bad_type.status_code == 422 and bad_type.get_json()["details"] == {"organization_id": "нужно: целое число"}
    ok = client.post(f"/api/v1/tasks/{task.id}/complete", headers=disp, json={"data": {"organization_id": city.uk2.id}})
    assert ok.status_code == 200


def test_emergencies_come_first_in_the_inbox_and_their_escalation_is_due_within_the_emergency_deadline(
        app: Flask, city: City) -> None:
    routine = register(city.sovetskaya_45.id, text="Не работает домофон", category="entrance")
    services_of(app).clock.advance(timedelta(minutes=5))
    gas = register(city.sovetskaya_45.id, text="Сильный запах газа в подъезде", category="roof", emergency=True)
    coordinator = user_with_token("c", "coordinator", city.cgds)
    client = app.test_client()
    inbox = browser(app, "head1").get("/inbox").get_data(as_text=True)
    assert inbox.index(gas.number) < inbox.index(routine.number)
    assert 'data-urgent="1"' in inbox and "срочно" in inbox
    items = client.get("/api/v1/tasks?name=accept", headers=user_with_token("s", "org_staff", city.uk1)).get_json()
    assert [t["appeal_id"] for t in items["items"]] == [gas.id, routine.id]
    assert [t["urgent"] for t in items["items"]] == [True, False]
    clock = services_of(app).clock
    clock.advance(timedelta(minutes=31))  # the emergency's 30 minutes to accept have passed
    sweep_timers()
    escalation = client.get(f"/api/v1/tasks?appeal_id={gas.id}&name=escalation", headers=coordinator).get_json()
    [task] = escalation["items"]
    assert datetime.fromisoformat(task["due_at"]) - clock.now() == timedelta(minutes=30)
    assert task["urgent"] is True
