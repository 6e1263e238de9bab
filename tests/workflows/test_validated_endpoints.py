"""The main API inputs go through workflows.validation: the documented request body of each endpoint IS the
schema its service checks, and bad bodies still get the Russian 422 they got when they were parsed by hand."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.web.helpers import user_with_token
from web.openapi import document
from workflows.appeals.input import APPEAL_CONFIRMATION, APPEAL_EXTENSION, APPEAL_INPUT
from workflows.appeals.models import CHANNELS
from workflows.db import db
from workflows.integrations.events import EVENTS
from workflows.integrations.subscriptions import WEBHOOK_INPUT
from workflows.outages.input import OUTAGE_INPUT, OUTAGE_PREVIEW, OUTAGE_RESTORE, OUTAGE_UPDATE
from workflows.runtime.task_input import TASK_ASSIGNMENT, TASK_COMPLETION
from workflows.validation import openapi_schema

MIGRATED = [("/api/v1/appeals", "post", APPEAL_INPUT), ("/api/v1/outages", "post", OUTAGE_INPUT),
            ("/api/v1/outages/{outage_id}", "patch", OUTAGE_UPDATE),
            ("/api/v1/outages/{outage_id}/restore", "post", OUTAGE_RESTORE),
            ("/api/v1/webhooks", "post", WEBHOOK_INPUT),
            ("/api/v1/appeals/{appeal_id}/extension", "post", APPEAL_EXTENSION),
            ("/api/v1/appeals/{appeal_id}/confirmation", "post", APPEAL_CONFIRMATION),
            ("/api/v1/tasks/{task_id}/assign", "post", TASK_ASSIGNMENT),
            ("/api/v1/tasks/{task_id}/complete", "post", TASK_COMPLETION),
            ("/api/v1/outages/preview", "post", OUTAGE_PREVIEW)]


@pytest.mark.parametrize(("path", "method", "schema"), MIGRATED, ids=[f"{m} {p}" for p, m, _ in MIGRATED])
def test_the_documented_body_is_the_checked_schema(path: str, method: str, schema: dict[str, Any]) -> None:
    documented = document()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert documented == openapi_schema(schema)
    assert "x-message" not in str(documented)
    assert set(documented["properties"]) == set(schema["properties"])


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path, WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def city(app: Flask) -> City:
    return build_city()


@pytest.fixture
def admin(city: City) -> dict[str, str]:
    return user_with_token("schema-admin", "admin")


def _refused(client: FlaskClient, method: str, url: str, headers: dict[str, str], body: Any,
             message: str) -> dict[str, Any]:
    answer = client.open(url, method=method, json=body, headers=headers)
    assert answer.status_code == 422, answer.get_json()
    payload = answer.get_json()
    assert payload["error"] == "validation_failed" and payload["message"] == message
    details: dict[str, Any] = payload["details"]
    return details


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def test_appeal_intake_refuses_in_the_same_words(app: Flask, city: City, admin: dict[str, str]) -> None:
    client, house = app.test_client(), city.sovetskaya_45.id
    said = "обращение не может быть зарегистрировано"
    details = _refused(client, "POST", "/api/v1/appeals", admin, {
        "text": "x" * 5001, "channel": "fax", "building_id": house, "emergency": "yes", "category": "nope",
        "applicant": {"name": "x" * 201, "phone": ["1"]}, "flat": 12, "external_id": {"a": 1}}, said)
    assert details == {"text": "не длиннее 5000 символов", "channel": f"одно из: {', '.join(CHANNELS)}",
                       "emergency": "true или false", "category": details["category"],
                       "applicant.name": "не длиннее 200 символов", "applicant.phone": "должно быть строкой",
                       "flat": "должно быть строкой", "external_id": "должно быть строкой"}
    assert details["category"].startswith("неизвестная категория; одна из: heating")
    for text in (None, "", 5):
        expected = "должно быть строкой" if text == 5 else "обязательное поле"
        assert _refused(client, "POST", "/api/v1/appeals", admin, {"text": text, "channel": "web",
                                                                    "building_id": house}, said) == {"text": expected}
    assert _refused(client, "POST", "/api/v1/appeals", admin, {"text": "Нет воды", "channel": "web",
                                                                "building_id": "7"}, said) == \
        {"building_id": "должно быть целым числом"}
    # what a schema cannot say still comes from intake, in the same answer
    assert _refused(client, "POST", "/api/v1/appeals", admin, {"text": "Нет воды", "channel": "web",
                                                                "building_id": 999999}, said) == \
        {"building_id": "нет дома 999999"}
    assert _refused(client, "POST", "/api/v1/appeals", admin, {"text": "Нет воды", "channel": "web"}, said) == \
        {"address": "укажите address или building_id"}
    assert _refused(client, "POST", "/api/v1/appeals", admin, {
        "text": "Нет воды", "channel": "letter", "building_id": house, "received_at": "вчера"}, said) == \
        {"received_at": "время поступления в ISO 8601 со смещением, например 2026-12-23T10:00:00+03:00"}
    fine = client.post("/api/v1/appeals", json={"text": "Нет воды", "channel": "api", "building_id": house,
                                                "external_id": 42, "applicant": {"chat_id": 7}}, headers=admin)
    assert fine.status_code == 201 and fine.get_json()["external_id"] == "42"


def test_outage_bodies_are_refused_in_the_same_words(app: Flask, city: City, admin: dict[str, str]) -> None:
    client, now = app.test_client(), datetime.now(UTC)
    said = "отключение не может быть зарегистрировано"
    details = _refused(client, "POST", "/api/v1/outages", admin, {
        "kind": "sometimes", "resource": "heating", "organization_id": city.heat.id, "starts_at": 5,
        "building_ids": [city.sovetskaya_45.id, "a"], "indoor_temperature": 99, "network_accident": "yes",
        "description": ["x"], "contact_phone": "x" * 41, "external_id": "x" * 201}, said)
    assert details == {"kind": "одно из: planned, emergency, maintenance",
                       "starts_at": "время в ISO 8601 со смещением", "ends_at": "обязательное поле",
                       "building_ids": "список целых чисел", "indoor_temperature": "число от -60 до 50",
                       "network_accident": "true или false", "description": "строка не длиннее 4000 символов",
                       "contact_phone": "строка не длиннее 40 символов", "external_id": "строка до 200 символов"}
    good = {"kind": "planned", "resource": "heating", "organization_id": city.heat.id,
            "starts_at": _iso(now + timedelta(days=2)), "ends_at": _iso(now + timedelta(days=1)),
            "building_ids": [city.sovetskaya_45.id]}
    assert _refused(client, "POST", "/api/v1/outages", admin, good, said) == \
        {"ends_at": "позже начала и не больше чем через год"}
    assert _refused(client, "POST", "/api/v1/outages", admin, {**good, "contact_phone": 5,
                                                                "description": "x" * 4001}, said) == \
        {"ends_at": "позже начала и не больше чем через год", "contact_phone": "строка не длиннее 40 символов",
         "description": "строка не длиннее 4000 символов"}
    assert _refused(client, "POST", "/api/v1/outages", admin, {**good, "ends_at": "2026-11-02T09:00:00"}, said) == \
        {"ends_at": "укажите смещение часового пояса (+03:00)"}
    created = client.post("/api/v1/outages", headers=admin,
                          json={**good, "ends_at": _iso(now + timedelta(days=3))})
    assert created.status_code == 201, created.get_json()
    url = f"/api/v1/outages/{created.get_json()['id']}"
    changed = "отключение не может быть изменено"
    assert _refused(client, "PATCH", url, admin, {"ends_at": 5, "description": ["x"]}, changed) == \
        {"ends_at": "время в ISO 8601 со смещением", "description": "строка не длиннее 4000 символов"}
    assert _refused(client, "PATCH", url, admin, {}, changed) == {"ends_at": "укажите новый ends_at и/или description"}
    assert _refused(client, "POST", f"{url}/restore", admin, {"restored_at": 5},
                    "восстановление не может быть записано") == {"restored_at": "время в ISO 8601 со смещением"}
    assert client.patch("/api/v1/outages/999999", json={"ends_at": 5}, headers=admin).status_code == 404


def test_webhook_subscription_is_refused_in_the_same_words(app: Flask, city: City, admin: dict[str, str]) -> None:
    client = app.test_client()
    details = _refused(client, "POST", "/api/v1/webhooks", admin, {
        "url": "ftp://example.org/hook", "events": ["appeal.lost"], "secret": "short", "external_id": ""},
        "подписка не может быть создана")
    assert details == {"url": "адрес http(s):// не длиннее 500 символов",
                       "events": f"непустой список из: {', '.join(EVENTS)}",
                       "secret": "строка от 16 до 200 символов (или не указывайте: выдадим сами)",
                       "external_id": "строка до 200 символов", "organization_id": "укажите существующую организацию"}
    assert _refused(client, "POST", "/api/v1/webhooks", admin, {"organization_id": city.uk1.id},
                    "подписка не может быть создана") == \
        {"url": "адрес http(s):// не длиннее 500 символов", "events": f"непустой список из: {', '.join(EVENTS)}"}
    stranger = user_with_token("no-org-staff", "dispatcher")
    assert client.post("/api/v1/webhooks", json={"url": 5}, headers=stranger).status_code == 403


def test_appeal_extension_and_confirmation_are_refused_in_the_same_words(app: Flask, city: City,
                                                                         admin: dict[str, str]) -> None:
    client = app.test_client()
    created = client.post("/api/v1/appeals", headers=admin, json={"text": "Прошу разобраться", "channel": "letter",
                                                                 "building_id": city.sovetskaya_45.id})
    url = f"/api/v1/appeals/{created.get_json()['id']}"
    limit = "целое число дней от 1 до 30"  # letter_deadlines.dmn's extension_within, not the schema's bound
    reason = "обязательное поле: причина продления (до 2000 символов)"
    extend = "срок ответа не может быть продлён"
    assert _refused(client, "POST", f"{url}/extension", admin, {}, extend) == {"days": limit, "reason": reason}
    assert _refused(client, "POST", f"{url}/extension", admin, {"days": "5", "reason": "   "}, extend) == \
        {"days": limit, "reason": reason}
    for days in (0, 31, 366, 2.5, True):
        assert _refused(client, "POST", f"{url}/extension", admin, {"days": days, "reason": "запрос в РСО"},
                        extend) == {"days": limit}
    either = "fixed или not_fixed"
    for body in ({}, {"answer": "maybe"}, {"answer": None}, {"answer": 1}):
        assert _refused(client, "POST", f"{url}/confirmation", admin, body, f"ответ: {either}") == {"answer": either}
    assert client.post("/api/v1/appeals/999999/confirmation", headers=admin, json={}).status_code == 404
    # a fitting answer reaches the service: this appeal does not wait for one
    assert client.post(f"{url}/confirmation", headers=admin, json={"answer": "fixed"}).status_code == 409


def test_task_bodies_are_refused_in_the_same_words(app: Flask, city: City, admin: dict[str, str]) -> None:
    client = app.test_client()
    for raw in ("7", True, 1.5, 0):
        assert _refused(client, "POST", "/api/v1/tasks/1/assign", admin, {"assignee_id": raw},
                        "assignee_id: номер сотрудника или null") == {"assignee_id": "целое число или null"}
    for data in ("x", None, [1]):
        assert _refused(client, "POST", "/api/v1/tasks/1/complete", admin, {"data": data}, "в форме есть ошибки") == \
            {"data": "объект с полями формы задачи"}
    assert client.post("/api/v1/tasks/999999/assign", headers=admin, json={"assignee_id": None}).status_code == 404
    assert client.post("/api/v1/tasks/999999/complete", headers=admin, json={"data": {}}).status_code == 404


def test_outage_preview_is_refused_in_the_same_words(app: Flask, city: City, admin: dict[str, str]) -> None:
    client, said = app.test_client(), "дома не определены"
    assert _refused(client, "POST", "/api/v1/outages/preview", admin, {"building_ids": [city.sovetskaya_45.id, "a"]},
                    said) == {"building_ids": "список целых чисел"}
    assert _refused(client, "POST", "/api/v1/outages/preview", admin, {"addresses": 5, "district": 7}, said) == \
        {"addresses": "строка или список строк (до 500 символов)",
         "district": "название района (вместе с organization_id и resource)"}
    # the rest of the registration body waits for registration: a preview of a half-filled form still answers
    found = client.post("/api/v1/outages/preview", headers=admin,
                        json={"kind": "", "starts_at": "", "building_ids": [city.sovetskaya_45.id]})
    assert found.status_code == 200 and found.get_json()["count"] == 1
