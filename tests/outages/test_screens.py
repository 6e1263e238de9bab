"""Staff screens: register with a preview, the outage card with its progress, coverage, waves, the ledger."""
from __future__ import annotations

from flask import Flask

from tests.appeals.city import City
from tests.outages.helpers import register, representative
from tests.web.helpers import csrf_token, login
from workflows.accounts.service import create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages.models import Outage
from workflows.registry.models import RolloutWave

PASSWORD = "Correct-horse-1"


def test_the_form_previews_the_buildings_then_registers(app: Flask, city: City, clock: FakeClock) -> None:
    create_user("water", "org_staff", city.water.id, PASSWORD)
    client = app.test_client()
    login(client, "water")
    page = client.get("/staff/outages/new").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "kind": "emergency", "resource": "cold_water",
            "organization_id": str(city.water.id), "starts_at": "2026-11-02T12:00", "ends_at": "2026-11-02T15:00",
            "addresses": "Советская 45-47", "description": "порыв"}
    preview = client.post("/staff/outages/new", data={**form, "action": "preview"}).get_data(as_text=True)
    assert "Затронутые дома: 2" in preview and "ул. Советская, д. 47" in preview
    assert "Зарегистрировать (2 дома)" in preview  # Russian plural, not «2 домов»
    assert db.session.query(Outage).count() == 0
    saved = client.post("/staff/outages/new", data={**form, "action": "save"})
    assert saved.status_code == 302
    card = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Доставка уведомлений" in card and "Дома (2)" in card
    outage = db.session.query(Outage).one()
    progress = client.get(f"/staff/outages/{outage.id}/deliveries.json").get_json()
    assert set(progress) == {"total", "sent", "failed", "pending", "acknowledged"}


def test_coverage_waves_and_ledger_screens(app: Flask, city: City, clock: FakeClock) -> None:
    representative(city.sovetskaya_45, 9901)
    register(city.water, [city.sovetskaya_45], clock.now(), 5)
    create_user("boss", "admin", None, PASSWORD)
    client = app.test_client()
    login(client, "boss")
    coverage = client.get("/staff/coverage").get_data(as_text=True)
    assert "Ленинский" in coverage and "в течение часа" in coverage
    waves = client.get("/staff/waves").get_data(as_text=True)
    wave = db.session.query(RolloutWave).one()
    client.post("/staff/waves", data={"csrf_token": csrf_token(waves), "wave_id": str(wave.id), "enabled": "0"})
    db.session.refresh(wave)
    assert wave.enabled is False
    assert "ул. Советская, д. 45" in client.get("/staff/ledger").get_data(as_text=True)
    excel = client.get("/staff/ledger.xlsx")
    assert excel.status_code == 200 and excel.data[:2] == b"PK"
    assert client.get("/staff/outages").status_code == 200
