"""The operations board and the city map in a real headless Chromium; screenshots go to docs/ with
OTKLIK_SCREENSHOTS=1 (else to a temporary folder)."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import LiveApp, sign_in
from tests.registering import register_appeal
from workflows.accounts.models import User
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.registry.models import Building
from workflows.stats.geo import MAP_STATUSES

pytestmark = pytest.mark.browser


def _tile(page: Any, name: str) -> int:
    return int(page.inner_text(f'[data-count="{name}"] strong'))


def test_the_board_refreshes_without_reloading_and_links_to_the_list(page: Any, live: LiveApp) -> None:
    live.app.config["BOARD_REFRESH_SECONDS"] = 1
    sign_in(page, live, "coord")
    assert page.url == f"{live.url}/board"  # the coordinator lands on the board
    before = _tile(page, "emergencies")
    page.evaluate("window.notReloaded = true")
    with live.app.app_context():
        dispatcher = db.session.scalar(select(User).where(User.login == "disp"))
        register_appeal({"channel": "phone", "text": "Прорыв трубы отопления в подвале, пар", "category": "heating",
                         "emergency": True, "building_id": live.buildings["michurinskaya_112"]}, dispatcher)
        db.session.remove()
    expect(page.locator("[data-count=emergencies] strong")).to_have_text(str(before + 1), timeout=15_000)
    assert page.evaluate("window.notReloaded") is True
    assert "Прорыв" not in page.inner_text("#board")  # the board shows numbers and addresses, not residents' texts
    page.screenshot(path=str(live.shots / "board.png"), full_page=True)
    page.click('[data-count="emergencies"]')
    page.wait_for_url("**/appeals?**")
    assert page.locator("#registry tbody tr").count() == before + 1


def test_the_map_draws_open_appeals_on_a_plain_background(page: Any, live: LiveApp) -> None:
    with live.app.app_context():
        for n, building in enumerate(db.session.scalars(select(Building).order_by(Building.id))):
            building.lat, building.lon, building.geo_approximate = 52.72 + n * 0.002, 41.44 + n * 0.003, True
        db.session.commit()
        open_now = db.session.scalar(select(func.count(Appeal.id)).where(Appeal.status.in_(MAP_STATUSES)))
        db.session.remove()
    sign_in(page, live, "coord")
    page.goto(f"{live.url}/map")
    page.wait_for_selector("#city-map[data-loaded='1']")
    assert "plain" in (page.get_attribute("#city-map", "class") or "")  # no tile server configured
    counts = page.inner_text("#map-counts")
    assert f"Открытых обращений: {open_now}," in counts and "домов: 4." in counts
    assert page.locator(".appeal-pin, .marker-cluster").count() >= 1
    assert page.is_visible("#map-approximate")
    page.screenshot(path=str(live.shots / "map.png"), full_page=True)
    page.select_option("select[name=category]", "yard")
    expect(page.locator("#map-counts")).to_contain_text("Открытых обращений: 1,")
