"""Outgoing webhooks: subscribe idempotently, signed deliveries through the outbox, retried after a 500."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from connectors.webhook import signature_ok
from tests.api.receiver import WebhookReceiver
from tests.appeals.city import City
from tests.web.helpers import user_with_token
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery.sending import deliver
from workflows.integrations.models import WebhookDelivery, WebhookSubscription

SECRET = "s3cret-of-the-ads-system"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as fake:
        yield fake


def _dispatcher_token() -> str:
    from sqlalchemy import select

    from workflows.accounts.models import User
    from workflows.accounts.service import create_token, create_user

    if db.session.scalar(select(User).where(User.login == "disp")) is None:
        create_user("disp", "dispatcher")
    return create_token("disp")


def _subscribe(client: FlaskClient, who: dict[str, str], url: str, **extra: Any) -> Any:
    return client.post("/api/v1/webhooks", headers=who, json={
        "url": url, "events": ["appeal.assigned", "appeal.resolved"], "secret": SECRET, **extra})


def _register(client: FlaskClient, city: City) -> dict[str, Any]:
    dispatcher = {"Authorization": f"Bearer {_dispatcher_token()}"}
    answer = client.post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Не работает домофон", "channel": "phone", "building_id": city.sovetskaya_45.id,
        "category": "entrance", "applicant": {"name": "Иванов", "phone": "+79001112233"}})
    assert answer.status_code == 201
    return dict(answer.get_json())


def test_subscribing_twice_with_one_external_id_keeps_one_subscription(app: Flask, city: City) -> None:
    client = app.test_client()
    ads = user_with_token("ads", "integration", city.uk1)
    first = _subscribe(client, ads, "https://ads.example.org/hook", external_id="main")
    again = _subscribe(client, ads, "https://ads.example.org/hook", external_id="main")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"] and first.get_json()["secret"] == SECRET
    assert [s["id"] for s in client.get("/api/v1/webhooks", headers=ads).get_json()["items"]] == [
        first.get_json()["id"]]
    bad = client.post("/api/v1/webhooks", headers=ads, json={"url": "ftp://x", "events": ["appeal.eaten"]})
    assert bad.status_code == 422 and set(bad.get_json()["details"]) == {"url", "events"}


def test_a_delivery_is_signed_and_retried_after_a_500_until_it_lands(app: Flask, city: City, clock: FakeClock,
                                                                     receiver: WebhookReceiver) -> None:
    client = app.test_client()
    ads = user_with_token("ads", "integration", city.uk1)
    subscription = _subscribe(client, ads, f"{receiver.url}/hook").get_json()
    receiver.answers = [500]
    appeal = _register(client, city)
    assert len(receiver.received) == 1  # sent at once after the commit, and refused
    delivery = db.session.query(WebhookDelivery).one()
    clock.advance(timedelta(hours=1))
    assert deliver(int(delivery.outbox_id or 0)) == "sent"
    first, second = receiver.received
    assert first.body == second.body
    assert second.headers["x-otklik-event"] == "appeal.assigned"
    assert second.headers["x-otklik-delivery"] == first.headers["x-otklik-delivery"] == delivery.delivery_key
    assert signature_ok(SECRET, second.body, second.headers["x-otklik-signature"])
    assert not signature_ok("another-secret-000", second.body, second.headers["x-otklik-signature"])
    payload = json.loads(second.body)
    assert payload["event"] == "appeal.assigned" and payload["data"]["appeal"]["id"] == appeal["id"]
    listed = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries", headers=ads).get_json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["state"] == "sent" and item["id"] == delivery.delivery_key
    assert [(a["status_code"], a["ok"]) for a in item["attempts"]] == [(500, False), (200, True)]


def test_a_410_disables_the_subscription(app: Flask, city: City, receiver: WebhookReceiver) -> None:
    client = app.test_client()
    ads = user_with_token("ads", "integration", city.uk1)
    subscription = _subscribe(client, ads, f"{receiver.url}/hook").get_json()
    receiver.answers = [410]
    _register(client, city)
    shown = client.get(f"/api/v1/webhooks/{subscription['id']}", headers=ads).get_json()
    assert shown["active"] is False and "410" in shown["disabled_reason"]
    _register(client, city)
    assert len(receiver.received) == 1


def test_other_organisations_do_not_see_or_get_the_events(app: Flask, city: City, receiver: WebhookReceiver) -> None:
    client = app.test_client()
    ads1 = user_with_token("ads1", "integration", city.uk1)
    ads2 = user_with_token("ads2", "integration", city.uk2)
    mine = _subscribe(client, ads1, f"{receiver.url}/one").get_json()
    _subscribe(client, ads2, f"{receiver.url}/two")
    _register(client, city)  # a building of uk1
    assert [r.path for r in receiver.received] == ["/one"]
    assert client.get(f"/api/v1/webhooks/{mine['id']}/deliveries", headers=ads2).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{mine['id']}", headers=ads2).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{mine['id']}", headers=ads1).status_code == 204
    assert db.session.get(WebhookSubscription, mine["id"]).active is False


def test_outage_changes_reach_the_suppliers_subscription(app: Flask, city: City, clock: FakeClock,
                                                         receiver: WebhookReceiver) -> None:
    from workflows.outages import service

    client = app.test_client()
    rso = user_with_token("rso-ads", "integration", city.water)
    client.post("/api/v1/webhooks", headers=rso, json={"url": f"{receiver.url}/rso", "events": ["outage.changed"],
                                                       "secret": SECRET})
    start = clock.now()
    outage = service.register_outage({
        "kind": "emergency", "resource": "cold_water", "organization_id": city.water.id,
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat(),
        "description": "порыв на магистрали", "building_ids": [city.sovetskaya_45.id]}, None)
    service.restore_outage(outage.id, {}, None)
    changes = [json.loads(r.body)["data"]["change"] for r in receiver.received]
    assert changes == ["registered", "restored"]
    assert all(r.headers["x-otklik-event"] == "outage.changed" for r in receiver.received)
