"""The public page, its JSON twin and the feeds show the outage and no personal data."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.appeals.city import City
from tests.outages.helpers import register, representative
from tests.registering import register_appeal
from workflows.clock import FakeClock
from workflows.db import db

SECRET_NAME, SECRET_PHONE, REP_CHAT = "Петрова Анна", "+79991234567", "7777001"


def _outage_with_personal_data_around(city: City, clock: FakeClock) -> int:
    rep = representative(city.sovetskaya_45, int(REP_CHAT))
    rep.name = "Сидоров Пётр"
    db.session.commit()
    outage = register(city.water, [city.sovetskaya_45, city.sovetskaya_47], clock.now(), 3)
    register_appeal({"text": "Нет холодной воды", "channel": "phone", "building_id": city.sovetskaya_45.id,
                     "category": "cold_water", "applicant": {"name": SECRET_NAME, "phone": SECRET_PHONE}, "flat": "17"})
    return outage.id


def _clean(body: str) -> None:
    for secret in (SECRET_NAME, SECRET_PHONE, REP_CHAT, "Сидоров"):
        assert secret not in body


def test_the_public_page_finds_the_building_by_address_and_shows_its_outage(
        app: Flask, city: City, clock: FakeClock) -> None:
    _outage_with_personal_data_around(city, clock)
    planned = register(city.water, [city.sovetskaya_45], clock.now() + timedelta(days=20), 2, kind="planned")
    page = app.test_client().get("/outages?address=Советская 45")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="ru"' in body and 'name="viewport"' in body
    assert "ул. Советская, д. 45" in body and "Аварийное отключение: холодная вода" in body
    assert "Плановое отключение" in body and planned.kind == "planned"
    assert "15:00" in body  # 12:00 + 3 h, Moscow time
    assert f"/outages/{city.sovetskaya_45.id}.atom" in body and f"/outages/{city.sovetskaya_45.id}.ics" in body
    assert "Ленинский район" in body and "ООО «РКС-Тамбов»" in body
    _clean(body)
    by_id = app.test_client().get(f"/outages?building_id={city.sovetskaya_45.id}").get_data(as_text=True)
    assert "Аварийное отключение: холодная вода" in by_id


def test_the_public_json_lists_the_buildings_outages_without_login(app: Flask, city: City, clock: FakeClock) -> None:
    outage_id = _outage_with_personal_data_around(city, clock)
    answer = app.test_client().get(f"/api/v1/public/outages?building_id={city.sovetskaya_45.id}")
    assert answer.status_code == 200
    [item] = answer.get_json()["items"]
    assert item["id"] == outage_id and item["resource"] == "cold_water" and item["status"] == "current"
    by_address = app.test_client().get("/api/v1/public/outages?address=Советская 45").get_json()
    assert [i["id"] for i in by_address["items"]] == [outage_id]
    _clean(answer.get_data(as_text=True))
    assert app.test_client().get("/api/v1/public/outages").status_code == 422
    assert app.test_client().get("/api/v1/public/outages?building_id=99999").status_code == 404


def test_the_feeds_carry_the_outage_and_no_personal_data(app: Flask, city: City, clock: FakeClock) -> None:
    outage_id = _outage_with_personal_data_around(city, clock)
    atom = app.test_client().get(f"/outages/{city.sovetskaya_45.id}.atom")
    assert atom.status_code == 200 and atom.mimetype == "application/atom+xml"
    text = atom.get_data(as_text=True)
    assert f"urn:otklik:outage:{outage_id}:" in text and "Аварийное отключение холодной воды" in text
    ics = app.test_client().get(f"/outages/{city.sovetskaya_45.id}.ics")
    assert ics.mimetype == "text/calendar"
    calendar = ics.get_data(as_text=True)
    assert "BEGIN:VEVENT" in calendar and "DTSTART:20261102T090000Z" in calendar
    assert "DTEND:20261102T120000Z" in calendar
    assert all(len(line.encode()) <= 75 for line in calendar.split("\r\n"))
    _clean(text)
    _clean(calendar)
    assert app.test_client().get("/outages/99999.atom").status_code == 404
