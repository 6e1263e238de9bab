"""Item 5 of issue 14: every reproduced bad input is refused with a 4xx and nothing is written."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.web.helpers import PASSWORD, csrf_token, login, user_with_token
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages.models import Outage, Representative


def _appeals() -> int:
    return int(db.session.scalar(select(func.count(Appeal.id))) or 0)


def _outage_body(city: City, clock: FakeClock, **extra: object) -> dict[str, object]:
    return {"kind": "emergency", "resource": "cold_water", "organization_id": city.water.id,
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=3)).isoformat(),
            "description": "порыв", "building_ids": [city.sovetskaya_45.id], **extra}


FIELDS = ["text", "external_id", "address", "applicant.name", "applicant.phone"]


def test_nul_and_lone_surrogates_in_an_appeal_are_refused_and_nothing_is_written(
        client: FlaskClient, city: City, dispatcher: dict[str, str]) -> None:
    for field in FIELDS:
        for bad in ("\x00", "\ud800"):
            _refused_appeal(client, city, dispatcher, field, bad)


def _refused_appeal(client: FlaskClient, city: City, dispatcher: dict[str, str], field: str, bad: str) -> None:
    body: dict[str, object] = {"text": "Течёт крыша", "channel": "api", "building_id": city.sovetskaya_45.id,
                               "external_id": "ext-1", "applicant": {"name": "Иванов", "phone": "+79151234567"}}
    if "." in field:
        body["applicant"] = {**body["applicant"], field.split(".")[1]: f"x{bad}y"}  # type: ignore[dict-item]
    else:
        body[field] = f"x{bad}y"
    raw = json.dumps(body)  # "\ud800" survives as the JSON escape a client would send
    answer = client.post("/api/v1/appeals", data=raw, content_type="application/json", headers=dispatcher)
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.get_json()["error"] == "validation_failed"
    assert field in answer.get_json()["details"]
    assert _appeals() == 0


def test_nul_in_a_filter_is_refused(client: FlaskClient, city: City, dispatcher: dict[str, str]) -> None:
    for query in ("status=%00", "category=%00", "organization_id=1%00", "building_id=%00", "page=1%00"):
        answer = client.get(f"/api/v1/appeals?{query}", headers=dispatcher)
        assert answer.status_code == 422, query


def test_nul_in_public_and_open311_filters_and_in_the_login_form(client: FlaskClient, city: City) -> None:
    assert client.get("/api/v1/public/outages?address=%00").status_code == 422
    assert client.get("/outages?address=%00").status_code == 422
    assert client.get("/open311/v2/requests.json?status=%00").status_code in (400, 422)
    assert client.get("/open311/v2/requests.json?service_code=%00").status_code in (400, 422)
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"login": "ad\x00min", "password": "x", "csrf_token": csrf_token(page)})
    assert answer.status_code == 422


def test_nul_in_an_outage_description_and_a_task_comment(
        client: FlaskClient, city: City, clock: FakeClock) -> None:
    staff = user_with_token("water-staff", "org_staff", city.water)
    answer = client.post("/api/v1/outages", json=_outage_body(city, clock, description="по\x00рыв"), headers=staff)
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count(Outage.id))) == 0
    answer = client.post("/api/v1/tasks/1/complete", json={"data": {"comment": "\x00"}}, headers=staff)
    assert answer.status_code == 422


def test_deep_json_is_refused_on_the_api_and_the_telegram_webhook(
        app: Flask, client: FlaskClient, city: City, dispatcher: dict[str, str]) -> None:
    deep = "[" * 50000 + "]" * 50000
    answer = client.post("/api/v1/appeals", data=deep, content_type="application/json", headers=dispatcher)
    assert answer.status_code == 422
    nested = '{"text": ' + "[" * 30 + "]" * 30 + "}"
    answer = client.post("/api/v1/appeals", data=nested, content_type="application/json", headers=dispatcher)
    assert answer.status_code == 422 and "вложенность" in answer.get_json()["message"]
    app.config["TELEGRAM_WEBHOOK_SECRET"] = "s3cret"
    answer = client.post("/webhooks/telegram", data=deep, content_type="application/json",
                         headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
    assert answer.status_code == 422


def test_huge_lists_are_refused_before_they_reach_the_database(
        client: FlaskClient, city: City, clock: FakeClock) -> None:
    staff = user_with_token("water-staff", "org_staff", city.water)
    body = _outage_body(city, clock, building_ids=list(range(1, 100_001)))
    answer = client.post("/api/v1/outages", json=body, headers=staff)
    assert answer.status_code == 422
    assert "building_ids" in answer.get_json()["details"]
    body = _outage_body(city, clock, building_ids=None, addresses=["Советская 45"] * 10_000)
    answer = client.post("/api/v1/outages", json=body, headers=staff)
    assert answer.status_code == 422 and "addresses" in answer.get_json()["details"]


def test_bodies_over_the_configured_size_get_413(app: Flask, client: FlaskClient, dispatcher: dict[str, str]) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    big = json.dumps({"text": "x" * (2 * 1024 * 1024), "channel": "api"})
    answer = client.post("/api/v1/appeals", data=big, content_type="application/json", headers=dispatcher)
    assert answer.status_code == 413 and answer.get_json()["message"] == "запрос слишком большой"
    app.config["MAX_CONTENT_LENGTH"] = 1000
    small = json.dumps({"text": "x" * 2000, "channel": "api"})
    answer = client.post("/api/v1/appeals", data=small, content_type="application/json", headers=dispatcher)
    assert answer.status_code == 413


def test_outage_dates_outside_a_sane_range_are_refused(client: FlaskClient, city: City, clock: FakeClock) -> None:
    staff = user_with_token("water-staff", "org_staff", city.water)
    for field, value in (("starts_at", "0001-01-01T00:00:00+03:00"), ("starts_at", "9999-12-31T23:00:00-03:00"),
                         ("ends_at", "9999-12-31T23:00:00-03:00"), ("starts_at", "2029-01-01T00:00:00+03:00")):
        answer = client.post("/api/v1/outages", json=_outage_body(city, clock, **{field: value}), headers=staff)
        assert answer.status_code == 422 and field in answer.get_json()["details"], (field, value)
    assert db.session.scalar(select(func.count(Outage.id))) == 0


def test_patch_in_9999_and_restoration_before_the_start_are_refused(
        client: FlaskClient, city: City, clock: FakeClock) -> None:
    staff = user_with_token("water-staff", "org_staff", city.water)
    outage_id = client.post("/api/v1/outages", json=_outage_body(city, clock), headers=staff).get_json()["id"]
    answer = client.patch(f"/api/v1/outages/{outage_id}", json={"ends_at": "9999-01-01T00:00:00+03:00"},
                          headers=staff)
    assert answer.status_code == 422
    before = (clock.now() - timedelta(hours=1)).isoformat()
    answer = client.post(f"/api/v1/outages/{outage_id}/restore", json={"restored_at": before}, headers=staff)
    assert answer.status_code == 422 and "restored_at" in answer.get_json()["details"]
    assert db.session.get(Outage, outage_id).restored_at is None  # type: ignore[union-attr]


def test_open311_dates_at_the_ends_of_the_calendar_are_refused_without_login(client: FlaskClient, city: City) -> None:
    for param in ("start_date", "end_date"):
        for value in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
            answer = client.get(f"/open311/v2/requests.json?{param}={value}")
            assert answer.status_code == 400
            assert answer.get_json()[0]["code"] == 400


def test_a_bare_cr_in_an_outage_description_does_not_forge_an_ics_event(
        client: FlaskClient, city: City, clock: FakeClock) -> None:
    staff = user_with_token("water-staff", "org_staff", city.water)
    forged = "порыв\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Фальшивое\nDTSTART:20261102T090000Z"
    created = client.post("/api/v1/outages", json=_outage_body(city, clock, description=forged), headers=staff)
    assert created.status_code == 201
    calendar = client.get(f"/outages/{city.sovetskaya_45.id}.ics").get_data(as_text=True)
    lines = calendar.split("\r\n")
    assert sum(1 for line in lines if line == "BEGIN:VEVENT") == 1
    assert not any(line.startswith("SUMMARY:Фальшивое") for line in lines)
    assert "\r" not in calendar.replace("\r\n", "")
    atom = client.get(f"/outages/{city.sovetskaya_45.id}.atom").get_data(as_text=True)
    assert "\r" not in atom and "END:VEVENT BEGIN:VEVENT" in atom


def test_single_line_columns_lose_their_line_breaks(client: FlaskClient, city: City,
                                                    dispatcher: dict[str, str]) -> None:
    body = {"text": "строка 1\nстрока 2", "channel": "api", "building_id": city.sovetskaya_45.id,
            "external_id": "a\r\nb", "applicant": {"name": "Иван\r\nBcc: x@evil.example"}}
    answer = client.post("/api/v1/appeals", json=body, headers=dispatcher)
    assert answer.status_code == 201, answer.get_json()
    appeal = db.session.get(Appeal, answer.get_json()["id"])
    assert appeal is not None
    assert appeal.applicant_name == "Иван Bcc: x@evil.example" and appeal.external_id == "a b"
    assert appeal.text == "строка 1\nстрока 2"  # multi-line text keeps its lines


def test_login_never_redirects_off_site(app: Flask, city: City) -> None:
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    for target in ("/%09/evil.example/phish", "//evil.example", "/\\evil.example", "https://evil.example/",
                   "/%0d%0aSet-Cookie:x=1", "javascript:alert(1)"):
        client = app.test_client()
        for key in ("_login_user", "csrf_token"):  # the test's app context outlives each request
            g.pop(key, None)
        page = client.get("/login").get_data(as_text=True)
        answer = client.post(f"/login?next={target}",
                             data={"login": "disp", "password": PASSWORD, "csrf_token": csrf_token(page)})
        assert answer.status_code == 302, (target, answer.get_data(as_text=True)[-600:])
        assert answer.headers["Location"] == "/", target


def test_login_keeps_a_local_next(client: FlaskClient, city: City) -> None:
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login?next=/appeals?status=new",
                         data={"login": "disp", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert answer.headers["Location"] == "/appeals?status=new"


def test_the_claim_form_never_redirects_off_site(client: FlaskClient, city: City) -> None:
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    login(client, "disp")
    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    answer = client.post("/tasks/999/claim", data={"csrf_token": token, "next": "//evil.example/phish"})
    assert answer.status_code in (302, 404)
    assert "evil.example" not in answer.headers.get("Location", "")


def test_representative_addresses_are_checked_and_normalised_per_channel(client: FlaskClient, city: City) -> None:
    staff = user_with_token("uk1-staff", "org_staff", city.uk1)
    url = f"/api/v1/buildings/{city.sovetskaya_45.id}/representatives"
    for channel, address in (("sms", "12345"), ("sms", "позвоните"), ("email", "ivan(at)mail.ru"),
                             ("telegram", "@chat"), ("vk", "id12"), ("max", "chat:abc")):
        body = {"name": "Председатель", "role": "chair", "channel": channel, "address": address, "consent": True}
        answer = client.post(url, json=body, headers=staff)
        assert answer.status_code == 422 and "address" in answer.get_json()["details"], address
    assert db.session.scalar(select(func.count(Representative.id))) == 0
    for channel, address, stored in (("sms", "8 (915) 123-45-67", "+79151234567"),
                                     ("email", "Chair@Mail.ru", "Chair@mail.ru"),
                                     ("telegram", "-1001234567", "-1001234567"), ("max", "user:555", "user:555")):
        body = {"name": "Председатель", "role": "chair", "channel": channel, "address": address, "consent": True}
        answer = client.post(url, json=body, headers=staff)
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["address"] == stored
