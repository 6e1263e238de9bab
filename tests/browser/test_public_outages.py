"""The public outage page on a phone-sized screen: search by address, a building's outages, no personal data."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.conftest import LiveApp
from workflows import clock
from workflows.accounts.models import User
from workflows.db import db
from workflows.outages.service import register_outage
from workflows.registry.models import Building

pytestmark = pytest.mark.browser


def _register_outage(live: LiveApp) -> None:
    with live.app.app_context():
        dispatcher = db.session.query(User).filter_by(login="disp").one()
        building = db.session.get(Building, live.buildings["sovetskaya_45"])
        supplier = building.supplier_for("hot_water")
        start = clock.now() - timedelta(hours=1)
        register_outage({"kind": "emergency", "resource": "hot_water", "organization_id": supplier.id,
                         "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=6)).isoformat(),
                         "description": "Авария на тепломагистрали", "building_ids": [building.id]}, dispatcher)
        db.session.remove()


def test_a_resident_finds_the_outage_of_their_building_on_a_phone(browser: Any, live: LiveApp) -> None:
    _register_outage(live)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{live.url}/outages")
        text = page.inner_text("body")
        assert "Горяч" in text or "ГВС" in text
        page.screenshot(path=str(live.shots / "public-outages.png"), full_page=True)
        page.goto(f"{live.url}/outages?building_id={live.buildings['sovetskaya_45']}")
        building_text = page.inner_text("body")
        assert "Советская" in building_text and "Авария на тепломагистрали" in building_text
        assert "Орлова" not in building_text and "+7900" not in building_text
        page.screenshot(path=str(live.shots / "public-outages-building.png"), full_page=True)
    finally:
        context.close()
