"""The appeal's life through the HTTP API as each role: accept, resolve, confirm; refusals; escalation."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.web.helpers import user_with_token
from workflows.runtime.timers import sweep_timers
from workflows.services import services_of

Headers = dict[str, str]


def _register(client: FlaskClient, who: Headers, building_id: int, **extra: Any) -> dict[str, Any]:
    body = {"text": "Течёт крыша над кухней", "channel": "phone", "building_id": building_id, "category": "roof",
            "applicant": {"name": "Иванов И. И.", "phone": "+79001234567"}, **extra}
    answer = client.post("/api/v1/appeals", headers=who, json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _task(client: FlaskClient, who: Headers, appeal_id: int, name: str) -> dict[str, Any]:
    items = client.get(f"/api/v1/tasks?appeal_id={appeal_id}&name={name}", headers=who).get_json()["items"]
    assert len(items) == 1, (name, items)
    return items[0]


def _complete(client: FlaskClient, who: Headers, task_id: int, **data: Any) -> None:
    answer = client.post(f"/api/v1/tasks/{task_id}/complete", headers=who, json={"data": data})
    assert answer.status_code == 200, answer.get_json()


def _appeal(client: FlaskClient, who: Headers, appeal_id: int) -> dict[str, Any]:
    return client.get(f"/api/v1/appeals/{appeal_id}", headers=who).get_json()


def test_full_lifecycle_through_http_as_each_role(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    staff = user_with_token("uk_staff", "org_staff", city.uk1)
    created = _register(client, dispatcher, city.sovetskaya_45.id)
    assert created["organization"] == {"id": city.uk1.id, "name": city.uk1.name}
    assert created["number"].endswith(f"{created['id']:06d}") and created["due_at"]
    assert created["status"] == "assigned" and created["incident_id"] is None
    accept = _task(client, staff, created["id"], "accept")
    assert accept["due_at"] == created["due_at"]
    _complete(client, staff, accept["id"], decision="accept", comment="выезжаем")
    assert _appeal(client, staff, created["id"])["status"] == "accepted"
    resolve = _task(client, staff, created["id"], "resolve")
    _complete(client, staff, resolve["id"], result="resolved", comment="кровля залатана")
    assert _appeal(client, dispatcher, created["id"])["status"] == "resolved"
    confirmed = client.post(f"/api/v1/appeals/{created['id']}/confirmation", headers=dispatcher,
                            json={"answer": "fixed"})
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "closed"
    history = [e["kind"] for e in _appeal(client, dispatcher, created["id"])["history"]]
    assert history[0] == "registered" and history[-1] == "closed"
    assert {"routed", "deadlines", "assigned", "accepted", "resolved", "resident_answer"} <= set(history)
    # a phone caller without SMS: nothing is claimed sent; the resolution is a call-back for ЦГДС
    assert history.count("applicant_notified") == 0 and history.count("callback_due") == 1


def test_misrouted_goes_to_cgds_and_a_second_refusal_goes_to_the_coordinator(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    coordinator = user_with_token("coord", "coordinator", city.cgds)
    uk1 = user_with_token("uk1", "org_staff", city.uk1)
    uk2 = user_with_token("uk2", "org_staff", city.uk2)
    appeal = _register(client, dispatcher, city.sovetskaya_45.id)
    _complete(client, uk1, _task(client, uk1, appeal["id"], "accept")["id"], decision="misrouted", comment="не наш")
    reroute = _task(client, dispatcher, appeal["id"], "reroute")
    assert _appeal(client, dispatcher, appeal["id"])["status"] == "rerouting"
    _complete(client, dispatcher, reroute["id"], organization_id=city.uk2.id)
    assert _appeal(client, dispatcher, appeal["id"])["organization"]["id"] == city.uk2.id
    _complete(client, uk2, _task(client, uk2, appeal["id"], "accept")["id"], decision="misrouted")
    assert client.get(f"/api/v1/tasks?appeal_id={appeal['id']}", headers=dispatcher).get_json()["items"] == []
    second = _task(client, coordinator, appeal["id"], "reroute")
    assert second["lane"] and "coordinator" in client.get(f"/api/v1/tasks/{second['id']}",
                                                         headers=coordinator).get_json()["roles"]


def test_breach_escalates_to_head_and_coordinator_then_to_the_city(app: Flask, city: City) -> None:
    client = app.test_client()
    clock = services_of(app).clock
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    head = user_with_token("head", "org_head", city.uk1)
    official = user_with_token("official", "official", city.city)
    staff = user_with_token("staff", "org_staff", city.uk1)
    appeal = _register(client, dispatcher, city.sovetskaya_45.id, category="elevator", emergency=True,
                       text="Застрял человек в лифте")
    clock.advance(timedelta(minutes=8))  # 75 % of the 10-minute acceptance limit
    sweep_timers()
    assert "reminder" in [e["kind"] for e in _appeal(client, dispatcher, appeal["id"])["history"]]
    clock.advance(timedelta(minutes=3))
    sweep_timers()
    first = _task(client, head, appeal["id"], "escalation")
    assert "org_head" in first["roles"] and "coordinator" in first["roles"]
    assert client.get(f"/api/v1/tasks?appeal_id={appeal['id']}&name=escalation",
                      headers=official).get_json()["items"][0]["roles"] == ["org_head", "coordinator"]
    _complete(client, staff, _task(client, staff, appeal["id"], "accept")["id"], decision="accept")
    clock.advance(timedelta(minutes=40))  # past the 30-minute resolution limit
    sweep_timers()
    escalations = client.get(f"/api/v1/tasks?appeal_id={appeal['id']}&name=escalation",
                             headers=official).get_json()["items"]
    assert any("official" in t["roles"] for t in escalations)
    assert _appeal(client, dispatcher, appeal["id"])["escalation_level"] == 2
    city_task = next(t for t in escalations if "official" in t["roles"])
    _complete(client, official, city_task["id"], comment="Поручено главе УК")


def test_not_fixed_reopens_the_appeal_with_the_escalation_noted(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    staff = user_with_token("staff", "org_staff", city.uk1)
    appeal = _register(client, dispatcher, city.sovetskaya_45.id)
    _complete(client, staff, _task(client, staff, appeal["id"], "accept")["id"], decision="accept")
    _complete(client, staff, _task(client, staff, appeal["id"], "resolve")["id"], result="resolved")
    answer = client.post(f"/api/v1/appeals/{appeal['id']}/confirmation", headers=dispatcher,
                         json={"answer": "not_fixed"})
    assert answer.status_code == 200
    reopened = _appeal(client, dispatcher, appeal["id"])
    assert reopened["status"] == "reopened" and reopened["escalation_level"] == 1
    assert _task(client, staff, appeal["id"], "resolve")
    early = client.post(f"/api/v1/appeals/{appeal['id']}/confirmation", headers=dispatcher, json={"answer": "fixed"})
    assert early.status_code == 409  # nothing to confirm until the organisation reports again
    _complete(client, staff, _task(client, staff, appeal["id"], "resolve")["id"], result="resolved")
    again = client.post(f"/api/v1/appeals/{appeal['id']}/confirmation", headers=dispatcher, json={"answer": "fixed"})
    assert again.status_code == 200 and again.get_json()["status"] == "closed"


def test_silence_closes_the_appeal(app: Flask, city: City) -> None:
    client = app.test_client()
    clock = services_of(app).clock
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    staff = user_with_token("staff", "org_staff", city.uk1)
    appeal = _register(client, dispatcher, city.sovetskaya_45.id)
    _complete(client, staff, _task(client, staff, appeal["id"], "accept")["id"], decision="accept")
    _complete(client, staff, _task(client, staff, appeal["id"], "resolve")["id"], result="resolved")
    clock.advance(timedelta(days=3, minutes=1))
    sweep_timers()
    assert _appeal(client, dispatcher, appeal["id"])["status"] == "closed"


def test_same_channel_and_external_id_give_one_appeal(app: Flask, city: City) -> None:
    client = app.test_client()
    integration = user_with_token("ads", "integration", city.uk1)
    body = {"text": "Нет света в подъезде", "channel": "ads", "building_id": city.sovetskaya_45.id,
            "external_id": "ADS-77"}
    first = client.post("/api/v1/appeals", headers=integration, json=body)
    second = client.post("/api/v1/appeals", headers=integration, json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    other = client.post("/api/v1/appeals", headers=integration, json={**body, "channel": "api"})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]


def test_bad_appeals_get_field_errors(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    answer = client.post("/api/v1/appeals", headers=dispatcher, json={"channel": "fax", "category": "x"})
    assert answer.status_code == 422
    assert {"text", "channel", "category"} <= set(answer.get_json()["details"])
    unknown = client.post("/api/v1/appeals", headers=dispatcher,
                          json={"text": "x", "channel": "phone", "address": "Несуществующая 999"})
    assert unknown.status_code == 422 and "address" in unknown.get_json()["details"]
    by_address = client.post("/api/v1/appeals", headers=dispatcher,
                             json={"text": "Нет горячей воды", "channel": "phone", "address": "Советская 45"})
    assert by_address.status_code == 201 and by_address.get_json()["building_id"] == city.sovetskaya_45.id
    assert by_address.get_json()["category"] == "hot_water" and by_address.get_json()["emergency"] is True
