"""The designer's refusal pinned on the element in a real headless Chromium, on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.appeals.city import City
from tests.conftest import need
from tests.designer.helpers import serving
from tests.designer.test_browser import ARGS, CHROMIUM, DOCS, _browser_ready
from tests.safe_change.sla_files import BPMN, contract_sla, with_cell
from tests.web.helpers import PASSWORD
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.runtime.definitions import current_version, deploy

pytestmark = pytest.mark.browser


@contextmanager
def _signed_in(app: Flask, login: str) -> Iterator[Any]:
    need(_browser_ready(), "Chromium, Playwright and node_modules (npm ci)")
    from playwright.sync_api import sync_playwright

    with serving(app) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1500, "height": 950}, locale="ru-RU")
        context.set_default_timeout(20_000)
        tab = context.new_page()
        tab.goto("/login")
        tab.fill("input[name=login]", login)
        tab.fill("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/inbox")
        try:
            yield tab
        finally:
            context.close()
            browser.close()


@pytest.fixture
def designer_page(city_app: tuple[Flask, City]) -> Iterator[Any]:
    create_user("designer", "designer", None, PASSWORD, "Ирина Проектировщица")
    with _signed_in(city_app[0], "designer") as tab:
        yield tab


@pytest.fixture
def admin_page(city_app: tuple[Flask, City]) -> Iterator[Any]:
    create_user("admin", "admin", None, PASSWORD, "Администратор")
    with _signed_in(city_app[0], "admin") as tab:
        yield tab


def _open(page: Any, key: str) -> None:
    version = current_version(key)
    assert version is not None
    version_id = version.id
    db.session.commit()  # SQLite: the test's transaction would hold the write lock
    page.goto(f"/designer/edit/{version_id}")
    page.wait_for_selector("#editor[data-ready='1']")


def test_a_diagram_reading_an_output_the_current_table_lacks_is_refused_on_its_task(
        designer_page: Any, tmp_path: Path) -> None:
    deploy([("sla.dmn", contract_sla())])  # the contract's two-output table is current
    _open(designer_page, "appeal")
    strict = re.sub(rb'<spiffworkflow:properties><spiffworkflow:property name="outputDefaults"[^>]*/>'
                    rb'</spiffworkflow:properties>', b"", (BPMN / "appeal.bpmn").read_bytes())
    path = tmp_path / "appeal.bpmn"
    path.write_bytes(strict)
    designer_page.set_input_files("#open-file", str(path))
    designer_page.wait_for_selector("[data-element-id='set_deadlines']")
    designer_page.click("#save")
    designer_page.wait_for_selector("#status.bad")
    assert designer_page.locator("g.djs-element.otklik-error[data-element-id='set_deadlines']").count() == 1
    badge = designer_page.locator(".otklik-issue-badge[data-issue-for='set_deadlines']")
    assert (badge.get_attribute("title") or "").startswith(
        "appeal.bpmn: задача set_deadlines читает «calendar», но sla.dmn (решение sla) его не даёт")
    assert designer_page.is_disabled("#deploy")
    designer_page.locator("g.djs-element[data-element-id='set_deadlines']").scroll_into_view_if_needed()
    designer_page.screenshot(path=str(DOCS / "designer-refusal.png"))


def test_a_table_with_a_non_duration_is_refused_on_its_rule(designer_page: Any, tmp_path: Path) -> None:
    _open(designer_page, "sla")
    path = tmp_path / "sla.dmn"
    path.write_bytes(with_cell("request", 1, '"скоро"'))
    designer_page.set_input_files("#open-file", str(path))
    designer_page.wait_for_timeout(500)
    designer_page.click("#save")
    designer_page.wait_for_selector("#status.bad")
    assert designer_page.locator(".otklik-error-cell[data-row-id='request']").count() >= 1
    assert "выход «resolve_within» = 'скоро' — это не длительность ISO 8601" in designer_page.inner_text("#issues")
    assert designer_page.is_disabled("#deploy")


def test_an_admin_deploys_over_failing_scenarios_with_a_written_reason(admin_page: Any, tmp_path: Path) -> None:
    _open(admin_page, "appeal")
    flipped = (BPMN / "appeal.bpmn").read_bytes().replace(
        b">routed[&#x27;joined&#x27;]</bpmn:conditionExpression>",
        b">not routed[&#x27;joined&#x27;]</bpmn:conditionExpression>")
    path = tmp_path / "appeal.bpmn"
    path.write_bytes(flipped)
    admin_page.set_input_files("#open-file", str(path))
    admin_page.wait_for_selector("[data-element-id='set_deadlines']")
    admin_page.click("#save")
    admin_page.wait_for_selector("#override:not([hidden])")
    assert "сценарий «Обращение принято, устранено, заявитель подтвердил» (appeal), шаг 1 не прошёл" \
        in admin_page.inner_text("#issues")
    assert admin_page.is_disabled("#deploy")
    admin_page.fill("#override-reason", "путь через инцидент согласован с ЦГДС, сценарии обновим")
    admin_page.click("#override-deploy")
    admin_page.wait_for_selector("#version-label[data-version='2']")
    assert "вопреки сценариям" in admin_page.inner_text("#status")
    db.session.expire_all()
    current = current_version("appeal")
    assert current is not None and current.version == 2
