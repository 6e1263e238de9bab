"""Who did what: every human step of an appeal names the person in the API, on screens and in the export."""
from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.appeals.city import City, build_city
from tests.web.helpers import PASSWORD, csrf_token, login
from tests.web.screen_helpers import ScreenClient
from workflows.accounts.models import User
from workflows.accounts.service import create_token, create_user
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.registry.models import Organization
from workflows.runtime.models import HumanTask
from workflows.runtime.timers import sweep_timers
from workflows.services import services_of

Headers = dict[str, str]


@pytest.fixture
def town(db_app: Flask) -> City:
    return build_city()


def person(login_name: str, role: str, org: Organization, full_name: str) -> Headers:
    create_user(login_name, role, org.id, PASSWORD, full_name=full_name)
    return {"Authorization": f"Bearer {create_token(login_name)}"}


def browser(app: Flask, login_name: str) -> FlaskClient:
    client = ScreenClient(app, app.response_class, use_cookies=True)
    login(client, login_name)
    return client


def _task(client: FlaskClient, who: Headers, appeal_id: int, name: str) -> dict[str, Any]:
    items = client.get(f"/api/v1/tasks?appeal_id={appeal_id}&name={name}", headers=who).get_json()["items"]
    assert len(items) == 1, (name, items)
    return dict(items[0])


def _post(client: FlaskClient, who: Headers, url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = client.post(url, headers=who, json=body or {})
    assert answer.status_code in (200, 201), answer.get_json()
    return dict(answer.get_json())


def _history(client: FlaskClient, who: Headers, appeal_id: int) -> list[dict[str, Any]]:
    return list(client.get(f"/api/v1/appeals/{appeal_id}", headers=who).get_json()["history"])


def _by_kind(history: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [e for e in history if e["kind"] == kind]
    assert found, (kind, [e["kind"] for e in history])
    return found[-1]


def test_every_human_step_names_the_person_and_system_steps_name_nobody(db_app: Flask, town: City) -> None:
    client = db_app.test_client()
    petrova = person("petrova", "dispatcher", town.cgds, "Петрова Мария Ивановна")
    ivanov = person("ivanov", "org_staff", town.uk1, "Иванов Пётр Сергеевич")
    sidorov = person("sidorov", "org_staff", town.uk2, "Сидоров Олег")
    appeal = _post(client, petrova, "/api/v1/appeals", {
        "text": "Течёт крыша над кухней", "channel": "phone", "building_id": town.sovetskaya_45.id,
        "category": "roof", "applicant": {"name": "Кузнецова А.", "phone": "+79001234567"}})
    # УК 1 refuses, the dispatcher reroutes to УК 2, whose staff claims, accepts and resolves
    refusal = _task(client, ivanov, appeal["id"], "accept")
    _post(client, ivanov, f"/api/v1/tasks/{refusal['id']}/complete",
          {"data": {"decision": "misrouted", "comment": "дом не наш"}})
    reroute = _task(client, petrova, appeal["id"], "reroute")
    _post(client, petrova, f"/api/v1/tasks/{reroute['id']}/complete",
          {"data": {"organization_id": town.uk2.id, "comment": "это УК Северная"}})
    accept = _task(client, sidorov, appeal["id"], "accept")
    _post(client, sidorov, f"/api/v1/tasks/{accept['id']}/claim")
    _post(client, sidorov, f"/api/v1/tasks/{accept['id']}/complete", {"data": {"decision": "accept"}})
    resolve = _task(client, sidorov, appeal["id"], "resolve")
    _post(client, sidorov, f"/api/v1/tasks/{resolve['id']}/complete",
          {"data": {"result": "resolved", "comment": "кровля залатана"}})

    history = _history(client, petrova, appeal["id"])
    uk1_ref, uk2_ref, cgds_ref = ({"id": o.id, "name": o.name} for o in (town.uk1, town.uk2, town.cgds))
    assert _by_kind(history, "registered")["actor"] == {
        "id": _by_kind(history, "registered")["actor"]["id"], "login": "petrova",
        "name": "Петрова Мария Ивановна", "role": "dispatcher", "organization": cgds_ref}
    misrouted = _by_kind(history, "misrouted")
    assert misrouted["actor"]["login"] == "ivanov" and misrouted["actor"]["organization"] == uk1_ref
    assert misrouted["text"] == "дом не наш" and misrouted["data"]["form"] == {"decision": "misrouted",
                                                                             "comment": "дом не наш"}
    rerouted = _by_kind(history, "rerouted")
    assert rerouted["actor"]["login"] == "petrova" and rerouted["data"]["form"]["organization_id"] == town.uk2.id
    claimed = _by_kind(history, "claimed")
    assert claimed["actor"]["login"] == "sidorov" and claimed["data"]["task"] == "accept"
    assert _by_kind(history, "accepted")["actor"]["organization"] == uk2_ref
    resolved = _by_kind(history, "resolved")
    assert resolved["actor"]["name"] == "Сидоров Олег" and resolved["data"]["form"]["result"] == "resolved"
    for system_step in ("routed", "deadlines", "applicant_notified"):
        assert all(e["actor"] is None for e in history if e["kind"] == system_step), system_step


def test_the_escalation_comment_names_the_head(db_app: Flask, town: City) -> None:
    client = db_app.test_client()
    clock = services_of(db_app).clock
    dispatcher = person("disp", "dispatcher", town.cgds, "Петрова Мария")
    head = person("head", "org_head", town.uk1, "Смирнов Андрей")
    appeal = _post(client, dispatcher, "/api/v1/appeals", {
        "text": "Течёт крыша", "channel": "phone", "building_id": town.sovetskaya_45.id, "category": "roof"})
    clock.advance(timedelta(days=2))
    sweep_timers()
    escalation = _task(client, head, appeal["id"], "escalation")
    _post(client, head, f"/api/v1/tasks/{escalation['id']}/complete", {"data": {"comment": "Бригада выехала"}})
    answered = _by_kind(_history(client, dispatcher, appeal["id"]), "escalation_answered")
    assert answered["text"] == "Бригада выехала"
    assert answered["actor"]["name"] == "Смирнов Андрей" and answered["actor"]["role"] == "org_head"
    assert _by_kind(_history(client, dispatcher, appeal["id"]), "escalated")["actor"] is None


def test_the_card_and_the_task_screen_name_the_person_role_and_organisation(app: Flask) -> None:
    town = build_city()
    create_user("petrova", "dispatcher", town.cgds.id, PASSWORD, full_name="Петрова Мария")
    create_user("ivanov", "org_staff", town.uk1.id, PASSWORD, full_name="Иванов Пётр")
    create_user("orlova", "org_staff", town.uk1.id, PASSWORD, full_name="Орлова Анна")
    petrova, ivanov, orlova = (browser(app, name) for name in ("petrova", "ivanov", "orlova"))
    page = petrova.get("/desk").get_data(as_text=True)
    answer = petrova.post("/desk", data={"csrf_token": csrf_token(page), "phone": "+79001234567",
                                         "building_id": str(town.sovetskaya_45.id), "text": "Течёт крыша",
                                         "category": "roof", "name": "Кузнецова"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    appeal = db.session.query(Appeal).one()
    task = db.session.query(HumanTask).filter_by(appeal_id=appeal.id, name="accept").one()
    task_page = ivanov.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Задача свободна" in task_page and "Взять" in task_page
    claimed = ivanov.post(f"/tasks/{task.id}/claim", data={"csrf_token": csrf_token(task_page)})
    assert claimed.status_code == 302
    colleague = orlova.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Взял Иванов Пётр" in colleague and 'id="task-form"' not in colleague
    inbox = orlova.get("/inbox").get_data(as_text=True)
    assert "взял Иванов Пётр" in inbox
    ivanov_page = ivanov.get(f"/tasks/{task.id}").get_data(as_text=True)
    done = ivanov.post(f"/tasks/{task.id}", data={"csrf_token": csrf_token(ivanov_page), "decision": "accept",
                                                  "comment": "выезжаем"})
    assert done.status_code == 302
    card = petrova.get(f"/appeals/{appeal.id}").get_data(as_text=True)
    history = card[card.index('id="history"'):]
    assert "Петрова Мария (диспетчер ЦГДС, ЦГДС)" in history
    assert "Иванов Пётр (диспетчер организации, ООО &laquo;УК Центральная&raquo;)" in history \
        or "Иванов Пётр (диспетчер организации, ООО «УК Центральная»)" in history
    accepted_row = history[history.index("Принято в работу"):].split("</tr>")[0]
    assert "Иванов Пётр" in accepted_row and "выезжаем" in accepted_row
    routed_row = history[history.index("Маршрутизировано"):].split("</tr>")[0]
    assert "система" in routed_row


def test_a_head_hands_a_task_to_a_colleague_and_the_history_says_so(db_app: Flask, town: City) -> None:
    client = db_app.test_client()
    dispatcher = person("disp", "dispatcher", town.cgds, "Петрова Мария")
    head = person("head", "org_head", town.uk1, "Смирнов Андрей")
    staff = person("staff", "org_staff", town.uk1, "Иванов Пётр")
    other = person("other", "org_staff", town.uk1, "Орлова Анна")
    stranger_head = person("head2", "org_head", town.uk2, "Чужой Начальник")
    appeal = _post(client, dispatcher, "/api/v1/appeals", {
        "text": "Течёт крыша", "channel": "phone", "building_id": town.sovetskaya_45.id, "category": "roof"})
    task = _task(client, staff, appeal["id"], "accept")
    _post(client, staff, f"/api/v1/tasks/{task['id']}/claim")
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=other).status_code == 409
    orlova_id = db.session.query(User).filter_by(login="other").one().id
    assert client.post(f"/api/v1/tasks/{task['id']}/assign", headers=staff,
                       json={"assignee_id": orlova_id}).status_code == 403
    assert client.post(f"/api/v1/tasks/{task['id']}/assign", headers=stranger_head,
                       json={"assignee_id": orlova_id}).status_code == 404
    refused = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=head, json={"assignee_id": 424242})
    assert refused.status_code == 422 and "назначить нельзя" in refused.get_json()["message"]
    given = _post(client, head, f"/api/v1/tasks/{task['id']}/assign", {"assignee_id": orlova_id})
    assert given["assignee"] == orlova_id
    sheet = client.get(f"/api/v1/tasks/{task['id']}", headers=other).get_json()
    assert sheet["assignee"] == orlova_id and sheet["held_by"]["name"] == "Орлова Анна"
    reassigned = _by_kind(_history(client, dispatcher, appeal["id"]), "reassigned")
    assert reassigned["actor"]["name"] == "Смирнов Андрей" and reassigned["data"]["assignee"] == "Орлова Анна"
    _post(client, other, f"/api/v1/tasks/{task['id']}/complete", {"data": {"decision": "accept"}})


def test_the_export_names_who_registered_accepted_and_resolved_and_lists_every_step(db_app: Flask,
                                                                                    town: City) -> None:
    client = db_app.test_client()
    dispatcher = person("disp", "dispatcher", town.cgds, "Петрова Мария")
    staff = person("staff", "org_staff", town.uk1, "Иванов Пётр")
    appeal = _post(client, dispatcher, "/api/v1/appeals", {
        "text": "Течёт крыша", "channel": "phone", "building_id": town.sovetskaya_45.id, "category": "roof"})
    accept = _task(client, staff, appeal["id"], "accept")
    _post(client, staff, f"/api/v1/tasks/{accept['id']}/complete", {"data": {"decision": "accept"}})
    resolve = _task(client, staff, appeal["id"], "resolve")
    _post(client, staff, f"/api/v1/tasks/{resolve['id']}/complete", {"data": {"result": "resolved"}})
    create_user("reader", "coordinator", town.cgds.id, PASSWORD, full_name="Координатор")
    answer = browser(db_app, "reader").get("/appeals/export.xlsx")
    book = load_workbook(io.BytesIO(answer.data))
    log = [tuple(r) for r in book["Журнал обращений"].iter_rows(values_only=True)]
    header, row = log[0], log[1]
    assert row[header.index("Зарегистрировал")] == "Петрова Мария, ЦГДС"
    assert row[header.index("Принял")] == f"Иванов Пётр, {town.uk1.name}"
    assert row[header.index("Решил")] == f"Иванов Пётр, {town.uk1.name}"
    steps = [tuple(r) for r in book["Ход работы"].iter_rows(values_only=True)]
    assert steps[0] == ("Номер", "Время", "Событие", "Кто", "Роль", "Организация", "Комментарий")
    by_event = {s[2]: s for s in steps[1:]}
    assert by_event["Принято в работу"][3:6] == ("Иванов Пётр", "диспетчер организации", town.uk1.name)
    assert by_event["Маршрутизировано"][3:6] == ("система", None, None)
    assert by_event["Зарегистрировано"][3] == "Петрова Мария"
