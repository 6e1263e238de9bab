"""The designer screens in a real headless Chromium (Debian's), driven by Playwright."""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.appeals.city import build_city
from tests.conftest import need
from tests.designer.helpers import escalate_xml, serving
from tests.web.helpers import PASSWORD, user_with_token
from web.designer.vendor import vendor_available
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.runtime.definitions import current_version, deploy
from workflows.runtime.models import ProcessInstance

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("OTKLIK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = Path(__file__).resolve().parents[2] / "docs"
BROKEN = escalate_xml().replace(b'<bpmn:scriptTask id="note_breach"',
                                b'<bpmn:serviceTask id="broken_call" name="Broken"/><bpmn:scriptTask id="note_breach"')


def _browser_ready() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return bool(shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()) and vendor_available()


@pytest.fixture
def page(app: Flask) -> Iterator[Any]:
    need(_browser_ready(), "Chromium, Playwright and node_modules (npm ci)")
    from playwright.sync_api import sync_playwright

    create_user("designer", "designer", None, PASSWORD)
    with serving(app) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1500, "height": 950}, locale="ru-RU")
        context.set_default_timeout(20_000)
        tab = context.new_page()
        violations: list[str] = []  # the modelers must work under the Content-Security-Policy
        tab.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
        tab.goto("/login")
        tab.fill("input[name=login]", "designer")
        tab.fill("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/inbox")
        try:
            yield tab
        finally:
            context.close()
            browser.close()
    assert violations == []


def _release() -> None:
    """End the test's own transaction: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE)."""
    db.session.commit()


def _open_editor(page: Any, version_id: int) -> None:
    _release()
    page.goto(f"/designer/edit/{version_id}")
    page.wait_for_selector("#editor[data-ready='1']")


def test_rename_save_validate_deploy_raises_the_version(page: Any, app: Flask) -> None:
    (version,) = deploy([("escalate.bpmn", escalate_xml())])
    _open_editor(page, version.id)
    page.click("g.djs-element[data-element-id='work']")
    page.fill("#panel [data-field='name']", "Выполнить работу и отчитаться")
    page.press("#panel [data-field='name']", "Tab")
    page.click("#save")
    page.wait_for_selector("#status.ok")
    assert "Проверка пройдена" in page.inner_text("#status")
    page.click("#deploy")  # asks first: nothing is deployed until the dialog is confirmed
    dialog = page.locator("#deploy-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("сейчас действует v1, появится v2")
    expect(dialog).to_contain_text("Изменено: «Выполнить работу и отчитаться»")
    page.click("#deploy-no")
    expect(dialog).to_be_hidden()
    expect(page.locator("#status")).to_contain_text("Развёртывание отменено")
    assert page.get_attribute("#version-label", "data-version") == "1"
    page.click("#deploy")
    page.click("#deploy-yes")
    page.wait_for_selector("#version-label[data-version='2']")  # a selector: the CSP forbids eval
    assert "версия 2" in page.inner_text("#version-label")
    page.goto("/designer/")
    assert page.locator("tr[data-key='escalate'][data-version='2'] .badge").count() == 1


def test_a_click_on_a_task_of_the_bundled_appeal_selects_the_task(page: Any, app: Flask) -> None:
    build_city()  # deploys the bundled diagrams with their generated layout
    version = current_version("appeal")
    assert version is not None
    _open_editor(page, version.id)
    for task, name in (("resolve", "Устранить и сообщить результат"), ("accept", "Принять обращение")):
        page.locator(f"g.djs-element.djs-shape[data-element-id='{task}']").click()  # fails if an arrow covers it
        expect(page.locator("#panel [data-field='name']")).to_have_value(name)
    expect(page.locator("g.djs-element.selected")).to_have_count(1)
    box = page.locator("g.djs-element.djs-shape[data-element-id='accept']").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")  # zoom in around the task for the documentation's screenshot
    for _ in range(7):
        page.mouse.wheel(0, -250)
    page.keyboard.up("Control")
    expect(page.locator("#panel [data-field='name']")).to_have_value("Принять обращение")
    expect(page.locator("#panel h3").first).to_have_text("Задача пользователя · accept")  # the kind in Russian
    page.screenshot(path=str(DOCS / "designer-editor.png"))


def test_broken_diagram_shows_the_error_on_its_element(page: Any, app: Flask, tmp_path: Path) -> None:
    (version,) = deploy([("escalate.bpmn", escalate_xml())])
    _open_editor(page, version.id)
    broken = tmp_path / "escalate.bpmn"
    broken.write_bytes(BROKEN)
    page.set_input_files("#open-file", str(broken))
    page.wait_for_selector("[data-element-id='broken_call']")
    page.click("#save")
    page.wait_for_selector("#status.bad")
    assert page.locator("g.djs-element.otklik-error[data-element-id='broken_call']").count() == 1
    badge = page.locator(".otklik-issue-badge[data-issue-for='broken_call']")
    assert "serviceTaskOperator" in (badge.get_attribute("title") or "")
    assert page.is_disabled("#deploy")


def test_following_an_instance_marks_its_current_task(page: Any, app: Flask) -> None:
    city = build_city()
    dispatcher = user_with_token("dispatcher", "dispatcher")
    body = {"text": "Течёт крыша над кухней", "channel": "phone", "building_id": city.sovetskaya_45.id,
            "category": "roof", "applicant": {"name": "Иванов И. И.", "phone": "+79001234567"}}
    answer = app.test_client().post("/api/v1/appeals", headers=dispatcher, json=body)
    assert answer.status_code == 201, answer.get_json()
    instance_id = db.session.scalar(select(ProcessInstance.id).where(ProcessInstance.process_id == "appeal"))
    _release()
    page.goto(f"/designer/instances/{instance_id}")
    page.wait_for_selector("#viewer[data-ready='1']")
    assert page.locator("g.djs-element.otklik-current[data-element-id='accept']").count() == 1
    assert page.locator("g.djs-element.otklik-completed[data-element-id='decide_routing']").count() == 1
    assert page.locator("g.djs-element.otklik-waiting[data-element-id='accept_breach']").count() == 1
    assert "accept_breach" in page.inner_text("#timers")
    page.screenshot(path=str(DOCS / "designer-instance.png"), full_page=True)
