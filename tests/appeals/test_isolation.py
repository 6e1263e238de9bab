"""Organisations see only their own appeals and tasks; the city's roles see all."""
from __future__ import annotations

from flask import Flask

from tests.appeals.city import City
from tests.web.helpers import user_with_token


def test_two_organisations_do_not_see_each_others_appeals_or_tasks(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    uk1 = user_with_token("uk1", "org_staff", city.uk1)
    uk2 = user_with_token("uk2", "org_staff", city.uk2)
    official = user_with_token("official", "official", city.city)
    mine = client.post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Не работает домофон", "channel": "phone", "building_id": city.sovetskaya_45.id,
        "category": "entrance"}).get_json()
    theirs = client.post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Не работает домофон", "channel": "phone", "building_id": city.michurinskaya_112.id,
        "category": "entrance"}).get_json()
    assert [a["id"] for a in client.get("/api/v1/appeals", headers=uk1).get_json()["items"]] == [mine["id"]]
    assert client.get(f"/api/v1/appeals/{theirs['id']}", headers=uk1).status_code == 404
    assert {t["appeal_id"] for t in client.get("/api/v1/tasks", headers=uk1).get_json()["items"]} == {mine["id"]}
    assert {t["appeal_id"] for t in client.get("/api/v1/tasks", headers=uk2).get_json()["items"]} == {theirs["id"]}
    theirs_task = client.get("/api/v1/tasks", headers=uk2).get_json()["items"][0]
    assert client.post(f"/api/v1/tasks/{theirs_task['id']}/complete", headers=uk1,
                       json={"data": {"decision": "accept"}}).status_code == 404
    assert client.get("/api/v1/appeals", headers=official).get_json()["total"] == 2
    assert client.get(f"/api/v1/appeals?organization_id={city.uk2.id}", headers=uk1).get_json()["total"] == 0


def test_an_integration_token_of_one_organisation_is_refused_on_anothers_appeal(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    ads_uk1 = user_with_token("ads1", "integration", city.uk1)
    other = client.post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Течёт крыша", "channel": "phone", "building_id": city.michurinskaya_112.id,
        "category": "roof"}).get_json()
    assert client.get(f"/api/v1/appeals/{other['id']}", headers=ads_uk1).status_code == 404
    assert client.post(f"/api/v1/appeals/{other['id']}/confirmation", headers=ads_uk1,
                       json={"answer": "fixed"}).status_code == 404


def test_an_integration_token_of_one_organisation_is_refused_on_anothers_task(app: Flask, city: City) -> None:
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    ads_uk1 = user_with_token("ads1", "integration", city.uk1)
    ads_uk2 = user_with_token("ads2", "integration", city.uk2)
    other = client.post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Течёт крыша", "channel": "phone", "building_id": city.michurinskaya_112.id,
        "category": "roof"}).get_json()
    theirs = client.get(f"/api/v1/tasks?appeal_id={other['id']}", headers=ads_uk2).get_json()["items"]
    assert [t["name"] for t in theirs] == ["accept"]
    assert client.get(f"/api/v1/tasks?appeal_id={other['id']}", headers=ads_uk1).get_json()["items"] == []
    assert client.get(f"/api/v1/tasks/{theirs[0]['id']}", headers=ads_uk1).status_code == 404
    assert client.post(f"/api/v1/tasks/{theirs[0]['id']}/claim", headers=ads_uk1).status_code == 404
    assert client.post(f"/api/v1/tasks/{theirs[0]['id']}/complete", headers=ads_uk1,
                       json={"data": {"decision": "accept"}}).status_code == 404
    assert client.get(f"/api/v1/appeals?organization_id={city.uk2.id}", headers=ads_uk1).get_json()["total"] == 0
    assert client.post(f"/api/v1/tasks/{theirs[0]['id']}/complete", headers=ads_uk2,
                       json={"data": {"decision": "accept"}}).status_code == 200


def test_every_create_of_an_integration_client_is_idempotent_by_external_id(app: Flask, city: City) -> None:
    client = app.test_client()
    ads = user_with_token("ads1", "integration", city.uk1)
    body = {"text": "Нет света в подъезде", "channel": "ads", "building_id": city.sovetskaya_45.id,
            "external_id": "ads-2026-77"}
    first, again = (client.post("/api/v1/appeals", headers=ads, json=body) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    hook = {"url": "https://ads.example.org/hook", "events": ["appeal.assigned"], "external_id": "hook-1"}
    made, repeated = (client.post("/api/v1/webhooks", headers=ads, json=hook) for _ in range(2))
    assert (made.status_code, repeated.status_code) == (201, 200)
    assert made.get_json()["id"] == repeated.get_json()["id"]
