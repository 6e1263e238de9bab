"""A real server and a headless Debian Chromium driven by Playwright; skipped when Chromium is missing
(failed instead when OTKLIK_TEST_REQUIRE_SERVICES=1)."""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.appeals.city import City, build_city
from tests.conftest import ROOT, make_app, need
from tests.registering import register_appeal
from tests.web.helpers import PASSWORD
from workflows.accounts.service import create_user
from workflows.db import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class LiveApp:
    app: Flask
    url: str
    buildings: dict[str, int]  # ids of tests.appeals.city's buildings by attribute name
    shots: Path


def _playwright_present() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def _seed(city: City) -> None:
    """A few appeals so the screens look like a shift: an open heating incident, a caller with history."""
    dispatcher = create_user("disp", "dispatcher", city.cgds.id, PASSWORD, full_name="Петрова О. В.")
    create_user("uk1", "org_staff", city.uk1.id, PASSWORD, full_name="Смирнов А. А.")
    create_user("coord", "coordinator", city.cgds.id, PASSWORD, full_name="Козлов Д. С.")
    calls: list[dict[str, Any]] = [
        {"text": "Нет отопления во всём подъезде, батареи ледяные", "building_id": city.sovetskaya_45.id,
         "category": "heating", "emergency": True, "applicant": {"name": "Орлова Н. П.", "phone": "+79001112233"}},
        {"text": "Холодные батареи в квартире 17", "building_id": city.sovetskaya_45.id, "category": "heating",
         "applicant": {"name": "Зайцев К. Л.", "phone": "+79107654321"}},
        {"text": "Не работает домофон <b>второй день</b>", "building_id": city.sovetskaya_47.id,
         "category": "entrance", "applicant": {"name": "Орлова Н. П.", "phone": "+79001112233"}},
        {"text": "Сосульки над входом в подъезд", "building_id": city.michurinskaya_112.id, "category": "yard"},
    ]
    for call in calls:
        register_appeal({"channel": "phone", **call}, dispatcher)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    need(CHROMIUM.exists() and _playwright_present(), "Chromium (/usr/bin/chromium) with Playwright")
    tmp = tmp_path_factory.mktemp("live")
    app = make_app(tmp)
    with app.app_context():
        city = build_city()
        _seed(city)
        buildings = {name: getattr(city, name).id for name in ("sovetskaya_45", "sovetskaya_47", "michurinskaya_112")}
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shots = ROOT / "docs" if os.environ.get("OTKLIK_SCREENSHOTS") == "1" else tmp
    try:
        yield LiveApp(app, f"http://127.0.0.1:{server.server_port}", buildings, shots)
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(live: LiveApp) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ru-RU")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    violations: list[str] = []  # every screen must work under the Content-Security-Policy
    tab.on("console", lambda message: violations.append(f"{tab.url}: {message.text}")
           if "Content Security Policy" in message.text else None)
    try:
        yield tab
    finally:
        context.close()
    assert violations == []


def sign_in(page: Any, live: LiveApp, login: str) -> None:
    page.goto(f"{live.url}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"^{re.escape(live.url)}/(inbox|board)$"))  # the board: officials, coordinators
