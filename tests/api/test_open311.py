"""Open311 GeoReport v2: every method in JSON and XML, the specification's errors, no personal data."""
from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.web.helpers import user_with_token
from workflows.db import db
from workflows.open311.tokens import token_for

BASE = "/open311/v2"


def _key(login: str = "ads", role: str = "integration", city: City | None = None) -> str:
    return user_with_token(login, role, city.uk1 if city else None)["Authorization"].removeprefix("Bearer ")


def _xml(answer: Any) -> ET.Element:
    assert answer.content_type == "text/xml; charset=utf-8"
    assert answer.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(answer.data)


def _post(client: FlaskClient, fmt: str = "json", **form: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data=form)


def test_discovery_lists_the_endpoint_in_both_formats(client: FlaskClient) -> None:
    data = client.get(f"{BASE}/discovery.json").get_json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_are_our_categories_in_both_formats(client: FlaskClient) -> None:
    services = client.get(f"{BASE}/services.json").get_json()
    heating = next(s for s in services if s["service_code"] == "heating")
    assert heating == {**heating, "service_name": "Отопление", "metadata": True, "type": "realtime"}
    assert len(services) == 19
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == 19
    assert root.find("service/metadata").text == "true"


def test_service_definition_has_the_emergency_attributes(client: FlaskClient) -> None:
    definition = client.get(f"{BASE}/services/gas.json").get_json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert codes["emergency"]["datatype"] == "singlevaluelist"
    assert codes["emergency_kind"]["values"] == [{"key": "1", "name": "запах газа"}]
    root = _xml(client.get(f"{BASE}/services/gas.xml"))
    assert root.tag == "service_definition" and root.find("service_code").text == "gas"
    assert root.find("attributes/attribute/values/value/key").text == "yes"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_400_in_the_specifications_error_format(client: FlaskClient, fmt: str) -> None:
    answer = client.get(f"{BASE}/services/potholes.{fmt}")
    assert answer.status_code == 400
    if fmt == "json":
        assert answer.get_json()[0]["code"] == 400 and answer.get_json()[0]["description"]
    else:
        root = _xml(answer)
        assert root.tag == "errors" and root.find("error/code").text == "400"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_registers_an_appeal_and_answers_ids_as_strings(app: Flask, city: City, fmt: str) -> None:
    client = app.test_client()
    answer = _post(client, fmt, api_key=_key(city=city), service_code="roof", address_id=str(city.sovetskaya_45.id),
                   description="Течёт крыша", first_name="Иван", phone="+79001234567", external_id="ads-1")
    assert answer.status_code == 201
    created = answer.get_json()[0] if fmt == "json" else {e.tag: e.text for e in _xml(answer).find("request")}
    assert created["service_request_id"].isdigit() and "token" not in created  # id or token, never both
    assert "зарегистрировано" in created["service_notice"]
    appeal = client.get(f"{BASE}/requests/{created['service_request_id']}.json").get_json()[0]
    assert appeal["service_code"] == "roof" and appeal["address_id"] == str(city.sovetskaya_45.id)
    assert appeal["status"] == "open" and appeal["extensions"]["status"] == "assigned"
    assert appeal["agency_responsible"] == city.uk1.name and appeal["expected_datetime"]


def test_the_same_external_id_again_returns_the_first_request(app: Flask, city: City) -> None:
    client, key = app.test_client(), _key(city=city)
    form = {"api_key": key, "service_code": "entrance", "address_string": "Советская 47", "external_id": "x-7"}
    first = _post(client, **form)
    again = _post(client, **form)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert "token" not in first.get_json()[0]
    with app.app_context():
        token = token_for(int(first.get_json()[0]["service_request_id"]))  # a token handed out earlier still works
    assert client.get(f"{BASE}/tokens/{token}.json").get_json() == [
        {"service_request_id": first.get_json()[0]["service_request_id"], "token": token}]
    root = _xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert root.find("request/token").text == token


def test_lat_long_finds_the_nearest_building_and_attributes_mark_an_emergency(app: Flask, city: City) -> None:
    city.michurinskaya_112.lat, city.michurinskaya_112.lon = 52.7212, 41.4523
    db.session.commit()
    client = app.test_client()
    answer = _post(client, api_key=_key(city=city), service_code="gas", lat="52.7213", long="41.4521",
                   **{"attribute[emergency_kind]": "1"})
    assert answer.status_code == 201, answer.get_json()
    request = client.get(f"{BASE}/requests/{answer.get_json()[0]['service_request_id']}.json").get_json()[0]
    assert request["address_id"] == str(city.michurinskaya_112.id)
    assert request["lat"] == 52.7212 and request["extensions"]["emergency"] is True
    far = _post(client, api_key=_key("ads2", city=city), service_code="gas", lat="52.0", long="41.0")
    assert far.status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_api_key_is_a_403(app: Flask, city: City, fmt: str) -> None:
    client = app.test_client()
    dispatcher_token = _key("disp", "dispatcher")
    for key in ("", "not-a-token", dispatcher_token):
        answer = _post(client, fmt, api_key=key, service_code="roof", address_id=str(city.sovetskaya_45.id))
        assert answer.status_code == 403
    if fmt == "xml":
        assert _xml(answer).find("error/code").text == "403"
    else:
        assert answer.get_json()[0]["code"] == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_with_an_unknown_service_or_no_location_is_a_400(app: Flask, city: City, fmt: str) -> None:
    client, key = app.test_client(), _key(city=city)
    assert _post(client, fmt, api_key=key, service_code="potholes", address_id="1").status_code == 400
    assert _post(client, fmt, api_key=key, service_code="roof").status_code == 400
    assert _post(client, fmt, api_key=key, service_code="roof", address_id="999999").status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_or_token_is_a_404(client: FlaskClient, fmt: str) -> None:
    for path in ("requests/424242", "requests/abc", "tokens/nope"):
        answer = client.get(f"{BASE}/{path}.{fmt}")
        assert answer.status_code == 404
        if fmt == "xml":
            assert _xml(answer).find("error/code").text == "404"


def _appeals(client: FlaskClient, key: str, city: City) -> list[str]:
    ids = []
    for code, text in (("roof", "Течёт крыша, звоните 8 (900) 123-45-67, кв. 12"), ("entrance", "Дверь"),
                       ("yard", "Снег")):
        answer = _post(client, api_key=key, service_code=code, address_id=str(city.sovetskaya_45.id),
                       description=text, first_name="Мария", last_name="Петрова", phone="+79007654321")
        ids.append(answer.get_json()[0]["service_request_id"])
    return ids


def test_get_requests_filters_pages_and_hides_personal_data(app: Flask, city: City) -> None:
    client = app.test_client()
    ids = _appeals(client, _key(city=city), city)
    listed = client.get(f"{BASE}/requests.json").get_json()
    assert [r["service_request_id"] for r in listed] == ids[::-1]
    text = client.get(f"{BASE}/requests.json").get_data(as_text=True)
    assert "Петрова" not in text and "7654321" not in text and "123-45-67" not in text and "кв. 12" not in text
    assert [r["service_code"] for r in client.get(f"{BASE}/requests.json?service_code=roof,yard").get_json()] \
        == ["yard", "roof"]
    assert len(client.get(f"{BASE}/requests.json?service_request_id={ids[0]},{ids[2]}").get_json()) == 2
    assert client.get(f"{BASE}/requests.json?status=closed").get_json() == []
    assert len(client.get(f"{BASE}/requests.json?status=open").get_json()) == 3
    pages = [client.get(f"{BASE}/requests.json?page={p}&page_size=2").get_json() for p in (1, 2)]
    assert [len(p) for p in pages] == [2, 1]
    root = _xml(client.get(f"{BASE}/requests.xml?page_size=1"))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == ids[2]
    assert root.find("request/extensions/status").text == "assigned"


@pytest.mark.parametrize("query", ["start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
                                   "start_date=yesterday", "status=pending", "service_code=potholes", "page=0"])
def test_bad_request_filters_are_400s(client: FlaskClient, query: str) -> None:
    assert client.get(f"{BASE}/requests.json?{query}").status_code == 400


def test_dates_select_by_requested_datetime(app: Flask, city: City) -> None:
    client = app.test_client()
    _appeals(client, _key(city=city), city)
    now = client.get(f"{BASE}/requests.json").get_json()[0]["requested_datetime"]
    assert len(client.get(f"{BASE}/requests.json", query_string={"start_date": now}).get_json()) == 3
    assert client.get(f"{BASE}/requests.json", query_string={"end_date": "2020-01-01T00:00:00+03:00"}).get_json() \
        == []
