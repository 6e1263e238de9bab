"""The desk's Enter in a real browser: it picks a house only when certain and never submits a call before a
house is chosen (or «нет в реестре» is ticked deliberately)."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import LiveApp, sign_in
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.registry.models import Building
from workflows.registry.service import fold

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def more_houses(live: LiveApp) -> None:
    """Интернациональная 10 (the test city's) gets neighbours 107 and 10а."""
    with live.app.app_context():
        for house in ("107", "10а"):
            address = f"ул. Интернациональная, д. {house}"
            if db.session.scalar(select(Building).where(Building.address == address)) is None:
                db.session.add(Building(street_type="ул", street="Интернациональная", house=house,
                                        district="Ленинский", address=address, search_text=fold(address)))
        db.session.commit()
        db.session.remove()


def _appeals(live: LiveApp) -> int:
    with live.app.app_context():
        count = int(db.session.scalar(select(func.count(Appeal.id))) or 0)
        db.session.remove()
        return count


def test_enter_on_an_ambiguous_number_shows_the_choices_and_submits_nothing(page: Any, live: LiveApp) -> None:
    before = _appeals(live)
    sign_in(page, live, "disp")
    page.goto(f"{live.url}/desk")
    page.click("#address")
    page.keyboard.type("Интернациональная 1")
    page.wait_for_selector("#address-list li[role=option]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#address-hint:not([hidden])")
    assert "выберите нужный стрелками" in page.inner_text("#address-hint")
    assert page.input_value("#building_id") == ""
    assert page.query_selector("#address-list li[aria-selected=true]") is None
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#building_id") != ""
    assert _appeals(live) == before


def test_enter_on_an_exact_number_picks_that_house_not_a_longer_one(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "disp")
    page.goto(f"{live.url}/desk")
    page.click("#address")
    page.keyboard.type("Интернациональная 10")
    page.wait_for_selector("#address-list li[aria-selected=true]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#building p")
    assert page.input_value("#address") == "ул. Интернациональная, д. 10"


def test_enter_in_the_text_before_a_house_is_chosen_registers_nothing(page: Any, live: LiveApp) -> None:
    before = _appeals(live)
    sign_in(page, live, "disp")
    page.goto(f"{live.url}/desk")
    page.click("#address")
    page.keyboard.type("Интернациональная")
    page.keyboard.press("Enter")  # the list has not appeared yet, or is ambiguous: no submit either way
    page.click("#text")
    page.keyboard.type("Не работает домофон")
    page.keyboard.press("Enter")
    page.wait_for_selector("#address-hint:not([hidden])")
    assert "Выберите дом из списка" in page.inner_text("#address-hint")
    assert page.url.endswith("/desk") and _appeals(live) == before
    page.keyboard.press("Escape")  # close the list of houses the address field offers again
    # a late answer to the address lookup may open the list once more over the checkbox: wait until it is shut
    for _ in range(20):
        if page.is_hidden("#address-list"):
            break
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)
    # a late answer can still open the list over the box between a look and a click: tick the box itself, as a
    # mouse click on it would
    page.dispatch_event("#unlisted", "click")
    assert page.is_checked("#unlisted")
    page.click("#text")
    page.keyboard.press("Enter")
    page.wait_for_selector("#registered")
    assert _appeals(live) == before + 1
