"""The administration screens in a real Chromium, reached through the menus: rollout waves, representatives,
buildings without one (with the printable invitations), users and roles, organisations; the ledger's building
picked by address. Screenshots go to docs/ with OTKLIK_SCREENSHOTS=1."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import LiveApp, sign_in
from tests.web.helpers import PASSWORD
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.outages.intervals import zone
from workflows.outages.models import Representative
from workflows.registry.models import Building, Organization, RolloutWave
from workflows.services import services_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def admin_login(live: LiveApp) -> str:
    with live.app.app_context():
        if db.session.scalar(select(User).where(User.login == "root")) is None:
            create_user("root", "admin", None, PASSWORD, full_name="Администратор А. А.")
        db.session.remove()
    return "root"


def _shot(page: Any, live: LiveApp, name: str) -> None:
    page.screenshot(path=str(live.shots / name), full_page=True)


def _menu(page: Any, live: LiveApp, section: str) -> None:
    """Open a section through the header's «Администрирование» and the section list."""
    page.click("header nav >> text=Администрирование")
    page.wait_for_url(f"{live.url}/admin")
    page.click(f"#sections >> text={section}")


def test_an_admin_creates_a_wave_fills_it_and_schedules_its_switch_on(page: Any, live: LiveApp,
                                                                      admin_login: str) -> None:
    sign_in(page, live, admin_login)
    _menu(page, live, "Волны подключения")
    page.click("#new-wave button[type=submit]")  # empty: the server answers in Russian
    expect(page.locator("[data-field=name]")).to_have_text("Заполните это поле")
    page.fill("#new-wave input[name=name]", "Волна 2: Ленинский район")
    page.click("#new-wave button[type=submit]")
    expect(page.locator("h1")).to_have_text("Волна 2: Ленинский район")
    page.fill("#add-buildings textarea[name=addresses]", "Советская 45\nМичуринская 112\nЛунная 1000")
    page.click("#add-buildings button[type=submit]")
    expect(page.locator("#unresolved")).to_contain_text("Лунная 1000")
    expect(page.locator("#coverage")).to_contain_text("Домов в волне: 2")
    with live.app.app_context():
        soon = (services_of(live.app).clock.now() + timedelta(days=2)).astimezone(zone())
        db.session.remove()
    page.fill("#schedule input[name=switch_on_at]", soon.strftime("%Y-%m-%dT%H:%M"))
    page.click("#schedule button[type=submit]")
    expect(page.locator("#state")).to_contain_text("включатся " + soon.strftime("%d.%m.%Y"))
    _shot(page, live, "admin-wave.png")
    page.click("text=← Все волны")
    expect(page.locator("#waves")).to_contain_text("Волна 2: Ленинский район")
    _shot(page, live, "admin-waves.png")
    with live.app.app_context():
        wave = db.session.scalars(select(RolloutWave).where(RolloutWave.name == "Волна 2: Ленинский район")).one()
        moved = db.session.scalars(select(Building).where(Building.wave_id == wave.id)).all()
        assert {b.address for b in moved} == {"ул. Советская, д. 45", "ул. Мичуринская, д. 112"}
        assert wave.switch_on_at is not None and wave.enabled is False
        db.session.remove()


def test_a_coordinator_manages_a_buildings_representatives(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "coord")
    _menu(page, live, "Представители домов")
    page.fill("#pick-building input[name=address]", "Советская 47")
    page.click("#pick-building button[type=submit]")
    expect(page.locator("#building")).to_have_text("ул. Советская, д. 47")
    page.fill("#add-representative input[name=address]", "555001")
    page.fill("#add-representative input[name=name]", "Орлова Н. П.")
    page.click("#add-representative button[type=submit]")
    expect(page.locator("[data-field=consent]")).to_contain_text("Без согласия представителя добавить нельзя")
    page.check("#add-representative input[name=consent]")
    page.click("#add-representative button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Представитель добавлен")
    row = page.locator("#people tr", has_text="555001")
    expect(row).to_contain_text("получает уведомления")
    expect(row).to_contain_text("дано ")
    row.locator("text=Отправить приглашение снова").click()
    expect(page.locator(".flash")).to_contain_text("Приглашение поставлено в очередь")
    _shot(page, live, "admin-representatives.png")
    page.locator("#people tr", has_text="555001").locator("text=Отключить").click()
    expect(page.locator("#people tr", has_text="555001")).to_contain_text("отключён")
    with live.app.app_context():
        rep = db.session.scalars(select(Representative).where(Representative.address == "555001")).one()
        assert rep.active is False and rep.name == "Орлова Н. П."
        db.session.remove()


def test_buildings_without_a_representative_and_their_printable_invitations(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "coord")
    _menu(page, live, "Дома без представителя")
    expect(page.locator("#uncovered")).to_contain_text("ул. Мичуринская, д. 112")
    with page.expect_download() as download:
        page.click("text=Скачать Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    _shot(page, live, "admin-uncovered.png")
    page.click("#print-link")
    expect(page.locator(".sheet").first).to_contain_text("Код приглашения")
    expect(page.locator(".sheet", has_text="ул. Мичуринская, д. 112")).to_contain_text("https://t.me/")
    _shot(page, live, "admin-invitations-print.png")


def test_an_admin_manages_users_and_roles(page: Any, live: LiveApp, admin_login: str) -> None:
    sign_in(page, live, admin_login)
    _menu(page, live, "Пользователи и роли")
    page.click("text=Новый пользователь")
    page.fill("#new-user input[name=login]", "ivanova")
    page.fill("#new-user input[name=full_name]", "Иванова М. С.")
    page.select_option("#new-user select[name=role]", "org_staff")
    page.fill("#new-user input[name=password]", "12345")
    page.click("#new-user button[type=submit]")
    expect(page.locator("[data-field=password]")).to_have_text("Пароль от 8 до 200 символов")
    expect(page.locator("[data-field=organization_id]")).to_have_text("для этой роли нужна организация")
    page.select_option("#new-user select[name=organization_id]", label="ООО «УК Центральная»")
    page.fill("#new-user input[name=password]", "надёжный-пароль")
    page.click("#new-user button[type=submit]")
    expect(page.locator("#user-state")).to_contain_text("диспетчер организации · ООО «УК Центральная»")
    page.select_option("#edit-user select[name=role]", "org_head")
    page.click("#edit-user button[type=submit]")
    expect(page.locator("#user-state")).to_contain_text("руководитель организации")
    page.fill("#password input[name=password]", "другой-пароль-1")
    page.fill("#password input[name=confirm]", "другой-пароль-1")
    page.click("#password button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("Пароль изменён")
    _shot(page, live, "admin-user.png")
    page.click("#activity button")
    expect(page.locator("#user-state")).to_contain_text("отключён")
    page.click("text=← Все пользователи")
    expect(page.locator("#users tr", has_text="ivanova")).to_contain_text("отключён")
    _shot(page, live, "admin-users.png")


def test_an_admin_sets_which_resources_an_organisation_supplies(page: Any, live: LiveApp, admin_login: str) -> None:
    sign_in(page, live, admin_login)
    _menu(page, live, "Организации")
    page.click("#organizations >> text=АО «ТСК»")
    page.check("#organization input[value=electricity]")
    page.fill("#organization input[name=inn]", "12")
    page.click("#organization button[type=submit]")
    expect(page.locator("[data-field=inn]")).to_have_text("ИНН — 10 или 12 цифр")
    page.fill("#organization input[name=inn]", "")
    page.click("#organization button[type=submit]")
    expect(page.locator("#organizations tr", has_text="АО «ТСК»")).to_contain_text("электроснабжение, вывоз ТКО")
    _shot(page, live, "admin-organizations.png")
    with live.app.app_context():
        org = db.session.scalars(select(Organization).where(Organization.name == "АО «ТСК»")).one()
        assert sorted(org.resources) == ["electricity", "waste"]
        db.session.remove()


def test_staff_see_only_their_sections_and_the_ledger_takes_an_address(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "uk1")
    page.click("header nav >> text=Администрирование")
    sections = page.locator("#sections")
    expect(sections).to_contain_text("Представители домов")
    expect(sections).not_to_contain_text("Пользователи и роли")
    expect(sections).not_to_contain_text("Волны подключения")
    page.goto(f"{live.url}/admin/users")
    expect(page.locator("main")).to_contain_text("Недостаточно прав")
    page.goto(f"{live.url}/staff/ledger")
    page.fill("input[name=address]", "Советская")
    page.click("form.card button[type=submit]")
    page.locator("#ledger-candidates >> text=ул. Советская, д. 47").click()
    expect(page.locator("input[name=address]")).to_have_value("ул. Советская, д. 47")
    assert re.search(r"building_id=\d+", page.url)
