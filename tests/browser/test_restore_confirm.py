"""«Подача восстановлена» on the outage card: a confirmation page first, cancel keeps the outage open."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, sign_in
from workflows import clock
from workflows.accounts.models import User
from workflows.db import db
from workflows.outages.models import Outage
from workflows.outages.service import register_outage
from workflows.registry.models import Building

pytestmark = pytest.mark.browser


def _outage(live: LiveApp) -> int:
    with live.app.app_context():
        dispatcher = db.session.query(User).filter_by(login="disp").one()
        building = db.session.get(Building, live.buildings["sovetskaya_47"])
        supplier = building.supplier_for("cold_water")
        start = clock.now() - timedelta(hours=1)
        outage = register_outage({"kind": "emergency", "resource": "cold_water", "organization_id": supplier.id,
                                  "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat(),
                                  "description": "Порыв на вводе", "building_ids": [building.id]}, dispatcher)
        outage_id = int(outage.id)
        db.session.remove()
    return outage_id


def _restored(live: LiveApp, outage_id: int) -> bool:
    with live.app.app_context():
        restored = db.session.get(Outage, outage_id).restored_at is not None
        db.session.remove()
    return restored


def test_restoration_is_confirmed_on_its_own_page(page: Any, live: LiveApp) -> None:
    outage_id = _outage(live)
    sign_in(page, live, "disp")
    page.goto(f"{live.url}/staff/outages/{outage_id}")
    page.get_by_role("button", name="Подача восстановлена").click()
    expect(page.get_by_role("heading", name="Подача восстановлена?")).to_be_visible()
    expect(page.locator("#restore-confirm")).to_contain_text("получат уведомление о восстановлении")
    page.get_by_role("link", name="Отмена, вернуться к отключению").click()
    expect(page.get_by_role("heading", name=f"Отключение № {outage_id}: Холодная вода")).to_be_visible()
    assert not _restored(live, outage_id)

    page.get_by_role("button", name="Подача восстановлена").click()
    page.get_by_role("button", name="Да, подача восстановлена").click()
    expect(page.locator(".flash.ok")).to_contain_text("Подача восстановлена, представители получат уведомление")
    assert _restored(live, outage_id)
    expect(page.get_by_role("button", name="Подача восстановлена")).to_have_count(0)
