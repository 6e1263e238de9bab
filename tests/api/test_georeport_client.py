"""The `georeport` client from PyPI reads our Open311 server in JSON and in XML."""
from __future__ import annotations

import pytest
from flask import Flask
from georeport import GeoReport

from tests.api.live import serving
from tests.appeals.city import City
from tests.web.helpers import user_with_token


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(app: Flask, city: City, output_format: str) -> None:
    key = user_with_token("ads", "integration", city.uk1)["Authorization"].removeprefix("Bearer ")
    created = app.test_client().post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "heating", "address_id": str(city.sovetskaya_45.id),
        "description": "Холодные батареи в подъезде"}).get_json()[0]
    with serving(app) as url:
        client = GeoReport(f"{url}/open311/v2", jurisdiction="tambov", output_format=output_format)
        services = client.get_service_list()
        definition = client.get_service_definition("heating")
        requests = client.get_service_requests(service_code="heating", status="open")
        one = client.get_service_request(created["service_request_id"])
    assert {s["service_code"] for s in services} >= {"heating", "gas", "other"}
    assert definition["service_code"] == "heating"
    # XML has one <request> here, which xmltodict reads as a dict rather than a list of one
    listed = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in listed] == [created["service_request_id"]]
    assert one["service_request_id"] == created["service_request_id"] and one["status"] == "open"
    assert one["description"] == "Холодные батареи в подъезде"
