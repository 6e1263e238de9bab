"""The phone desk and the inbox driven in a real headless Chromium; screenshots go to docs/ with
OTKLIK_SCREENSHOTS=1 (else to a temporary folder)."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import LiveApp, sign_in
from tests.registering import register_appeal
from workflows.appeals.models import Appeal
from workflows.db import db

pytestmark = pytest.mark.browser


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _pick_building(page: Any, wanted: str) -> None:
    """Walk the live match list with the arrow keys until `wanted` is highlighted, then Enter."""
    page.wait_for_selector("#address-list li[role=option]")
    selected = "#address-list li[aria-selected=true]"
    for _ in range(8):
        if page.query_selector(selected) and wanted in page.inner_text(selected):
            break
        page.keyboard.press("ArrowDown")
    assert wanted in page.inner_text(selected)
    page.keyboard.press("Enter")


def _water_outage(live: LiveApp) -> None:
    """An emergency cold-water outage on Советская 45: the desk's building card shows it during the call."""
    from datetime import timedelta

    from workflows import clock
    from workflows.outages.service import register_outage
    from workflows.registry.models import Organization

    with live.app.app_context():
        water = db.session.scalars(select(Organization).where(Organization.name.contains("РКС"))).one()
        register_outage({"kind": "emergency", "resource": "cold_water", "organization_id": water.id,
                         "starts_at": (clock.now() - timedelta(hours=1)).isoformat(),
                         "ends_at": (clock.now() + timedelta(hours=5)).isoformat(),
                         "description": "порыв водовода на ул. Советской",
                         "building_ids": [live.buildings["sovetskaya_45"]]}, None)
        db.session.remove()


def test_a_call_is_entered_at_the_phone_desk_with_the_keyboard_only(page: Any, live: LiveApp) -> None:
    _water_outage(live)
    sign_in(page, live, "disp")
    page.goto(f"{live.url}/desk")
    assert _focused(page) == "phone"
    page.keyboard.type("8 900 111-22-33")
    page.keyboard.press("Tab")
    assert _focused(page) == "address"
    page.wait_for_selector("#caller li")  # the caller's earlier appeals, shown when the phone field is left
    page.keyboard.type("Советская 4")
    _pick_building(page, "д. 45")
    page.wait_for_selector("#building .incident")  # the open heating incident, before a duplicate is made
    assert "Отключение сейчас: холодная вода" in page.inner_text("#building")
    assert "УК Центральная" in page.inner_text("#building")
    page.keyboard.press("Tab")
    assert _focused(page) == "text"
    page.keyboard.type("Течёт крыша над кухней, заливает квартиру")
    page.wait_for_selector("#category-hint:not([hidden])")
    assert page.input_value("#category") == "roof" and page.is_checked("#emergency")
    page.keyboard.press("Tab")
    assert _focused(page) == "category"
    page.keyboard.press("Tab")
    assert _focused(page) == "emergency"
    page.screenshot(path=str(live.shots / "desk.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("#registered")
    banner = page.inner_text("#registered")
    with live.app.app_context():
        appeal = db.session.scalars(select(Appeal).order_by(Appeal.id.desc())).first()
        assert appeal is not None and appeal.number in banner and "УК Центральная" in banner
        assert (appeal.building_id, appeal.category, appeal.emergency) == (live.buildings["sovetskaya_45"], "roof",
                                                                          True)
        assert appeal.applicant_phone == "+79001112233" and appeal.channel == "phone"
    assert _focused(page) == "phone"  # ready for the next call


def test_uk_staff_claim_and_complete_a_task_in_the_inbox(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "uk1")
    row = page.locator("#inbox-rows tr", has_text="домофон")
    number = row.locator("a[href^='/appeals/']").inner_text()
    assert "<b>" in row.inner_text()  # the appeal's HTML shows as text, not markup
    page.screenshot(path=str(live.shots / "inbox.png"), full_page=True)
    row.locator("button.claim").click()
    page.wait_for_selector("select#f-decision")
    page.screenshot(path=str(live.shots / "task.png"), full_page=True)
    page.select_option("select#f-decision", "accept")
    page.fill("#f-comment", "Мастер выйдет сегодня до 18:00")
    page.click("button[type=submit][accesskey=s]")
    page.wait_for_selector(".flash.ok")
    assert page.locator("#inbox-rows tr", has_text="Устранить и сообщить результат").count() >= 1
    with live.app.app_context():
        accepted = db.session.scalars(select(Appeal).where(Appeal.number == number.removeprefix("№ "))).one()
        assert accepted.status == "accepted"
        accepted_id = accepted.id
        register_appeal({"channel": "phone", "text": "Не закрывается дверь подъезда", "category": "entrance",
                         "building_id": live.buildings["sovetskaya_47"]}, None)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the 15-second refresh, now
    page.wait_for_selector("#inbox-rows :text('Советская, д. 47')")  # a selector: the CSP forbids eval
    page.goto(f"{live.url}/appeals/{accepted_id}")
    page.wait_for_selector("#history")
    page.screenshot(path=str(live.shots / "appeal-card.png"), full_page=True)


def test_the_registry_lists_and_filters_appeals(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "coord")
    page.goto(f"{live.url}/appeals")
    assert page.locator("#registry tbody tr").count() >= 4
    page.screenshot(path=str(live.shots / "registry.png"), full_page=True)
    page.select_option("select[name=category]", "heating")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**category=heating**")
    assert page.locator("#registry tbody tr").count() == 2
