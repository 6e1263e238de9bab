"""Written appeals under 59-ФЗ (channel `letter`): registration 3 days from arrival, forwarding 7 days,
answer 30 days, one extension of up to 30 days with notice — across the New Year holidays, both databases."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.web.helpers import user_with_token
from workflows.clock import FakeClock
from workflows.db import db
from workflows.runtime.timers import sweep_timers
from workflows.services import services_of


@pytest.fixture
def city_app(any_db_url: str, tmp_path: Path) -> Iterator[tuple[Flask, City]]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application, build_city()
        db.session.remove()


def msk(*parts: int) -> str:
    return (datetime(*parts, tzinfo=UTC) - timedelta(hours=3)).isoformat()  # type: ignore[misc]


def test_a_letter_across_the_new_year_holidays(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    clock: FakeClock = services_of(app).clock
    clock.set(datetime(2026, 12, 25, 7, 0, tzinfo=UTC))  # Friday 25 Dec 2026, 10:00 in Tambov
    client = app.test_client()
    clerk = user_with_token("clerk", "dispatcher", city.cgds)
    body = {"text": "Прошу разобраться с начислениями за отопление", "channel": "letter",
            "building_id": city.sovetskaya_45.id, "category": "billing", "received_at": msk(2026, 12, 23, 15, 0),
            "applicant": {"name": "Петров П. П.", "channel": "email", "chat_id": "petrov@example.ru"}}
    created = client.post("/api/v1/appeals", headers=clerk, json=body)
    assert created.status_code == 201, created.get_json()
    appeal = client.get(f"/api/v1/appeals/{created.get_json()['id']}", headers=clerk).get_json()
    assert appeal["register_due_at"] == msk(2026, 12, 28, 15, 0)  # 26 Dec is a Saturday → Monday 28 Dec
    assert appeal["register_breached"] is False
    assert appeal["accept_due_at"] == msk(2027, 1, 11, 10, 0)  # forwarding: 1 Jan 2027 is off until 10 Jan
    assert appeal["resolve_due_at"] == msk(2027, 1, 25, 10, 0)  # answer: 24 Jan is a Sunday
    assert {"letter_received", "deadlines"} <= {e["kind"] for e in appeal["history"]}

    bad = client.post(f"/api/v1/appeals/{appeal['id']}/extension", headers=clerk, json={"days": 31, "reason": "x"})
    assert bad.status_code == 422 and bad.get_json()["details"]["days"] == "целое число дней от 1 до 30"
    extended = client.post(f"/api/v1/appeals/{appeal['id']}/extension", headers=clerk,
                           json={"days": 30, "reason": "запрошены сведения в РСО"})
    assert extended.status_code == 200, extended.get_json()
    assert extended.get_json()["extended_due_at"] == msk(2027, 2, 24, 10, 0)  # 22–23 Feb are off, 24th is not
    assert extended.get_json()["resolve_due_at"] == msk(2027, 1, 25, 10, 0)  # the first deadline is kept
    again = client.post(f"/api/v1/appeals/{appeal['id']}/extension", headers=clerk,
                        json={"days": 5, "reason": "ещё"})
    assert again.status_code == 409 and "один раз" in again.get_json()["message"]
    history = client.get(f"/api/v1/appeals/{appeal['id']}", headers=clerk).get_json()["history"]
    notices = [e["text"] for e in history if e["kind"] == "applicant_notified"]
    assert notices[-1] == (f"Срок ответа на обращение № {appeal['number']} продлён до 24.02.2027 10:00. "
                           "Причина: запрошены сведения в РСО")


def test_a_letter_registered_late_is_flagged_and_other_channels_cannot_be_extended(
        city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    clock: FakeClock = services_of(app).clock
    clock.set(datetime(2027, 1, 12, 7, 0, tzinfo=UTC))
    client = app.test_client()
    clerk = user_with_token("clerk", "dispatcher", city.cgds)
    late = client.post("/api/v1/appeals", headers=clerk, json={
        "text": "Жалоба на управляющую компанию", "channel": "letter", "building_id": city.sovetskaya_45.id,
        "category": "management", "received_at": msk(2026, 12, 30, 11, 0)}).get_json()
    shown = client.get(f"/api/v1/appeals/{late['id']}", headers=clerk).get_json()
    assert shown["register_due_at"] == msk(2027, 1, 11, 11, 0) and shown["register_breached"] is True
    phone = client.post("/api/v1/appeals", headers=clerk, json={
        "text": "Нет отопления", "channel": "phone", "building_id": city.sovetskaya_45.id, "category": "heating",
        "received_at": msk(2027, 1, 12, 9, 0)})
    assert phone.status_code == 422 and "received_at" in phone.get_json()["details"]
    call = client.post("/api/v1/appeals", headers=clerk, json={
        "text": "Нет отопления", "channel": "phone", "building_id": city.sovetskaya_45.id,
        "category": "heating"}).get_json()
    refused = client.post(f"/api/v1/appeals/{call['id']}/extension", headers=clerk, json={"days": 3, "reason": "x"})
    assert refused.status_code == 409


def _tasks(client: FlaskClient, who: dict[str, str], appeal_id: int) -> list[str]:
    return sorted(t["name"] for t in client.get(f"/api/v1/tasks?appeal_id={appeal_id}", headers=who)
                  .get_json()["items"])


@pytest.mark.parametrize("accept_first", [True, False])
def test_the_diagram_escalates_at_the_extended_deadline_not_the_first(city_app: tuple[Flask, City],
                                                                      accept_first: bool) -> None:
    app, city = city_app
    clock: FakeClock = services_of(app).clock
    clock.set(datetime(2026, 12, 25, 7, 0, tzinfo=UTC))
    client = app.test_client()
    clerk = user_with_token("clerk", "coordinator", city.cgds)
    staff = user_with_token("uk_staff", "org_staff", city.uk1)
    appeal = client.post("/api/v1/appeals", headers=clerk, json={
        "text": "Прошу провести проверку качества уборки подъезда", "channel": "letter",
        "building_id": city.sovetskaya_45.id, "category": "management"}).get_json()

    def accept() -> None:
        [task] = client.get(f"/api/v1/tasks?appeal_id={appeal['id']}&name=accept", headers=staff).get_json()["items"]
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=staff,
                           json={"data": {"decision": "accept"}}).status_code == 200

    if accept_first:
        accept()
    assert client.post(f"/api/v1/appeals/{appeal['id']}/extension", headers=clerk,
                       json={"days": 30, "reason": "нужна проверка на месте"}).status_code == 200
    if not accept_first:
        accept()
    clock.set(datetime(2027, 1, 26, 7, 0, tzinfo=UTC))  # the first deadline (25 Jan) has passed
    sweep_timers()
    assert "escalation" not in _tasks(client, clerk, appeal["id"])
    clock.set(datetime(2027, 2, 25, 7, 0, tzinfo=UTC))  # the extended one (24 Feb) has passed
    sweep_timers()
    assert "escalation" in _tasks(client, clerk, appeal["id"])
