"""The registry of appeals and its Excel export: isolation, filters, paging, columns, escaping."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.appeals.city import City, build_city
from tests.web.screen_helpers import client_as, register
from web import appeal_pages
from workflows.clock import FakeClock
from workflows.db import db


@pytest.fixture
def city(app: Flask) -> City:
    city = build_city()
    client_as(app, "disp", "dispatcher", city.cgds)
    return city


def _sheet(client: FlaskClient, query: str = "") -> list[tuple[object, ...]]:
    answer = client.get(f"/appeals/export.xlsx{query}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_registry_and_export_show_each_organisation_only_its_own_appeals(app: Flask, city: City) -> None:
    mine = register(city.sovetskaya_45.id, text="Не работает домофон", category="entrance")
    theirs = register(city.michurinskaya_112.id, text="Не работает домофон в 3 подъезде", category="entrance")
    uk1 = client_as(app, "uk1", "org_staff", city.uk1)
    uk2 = client_as(app, "uk2", "org_staff", city.uk2)
    official = client_as(app, "official", "official", city.city)
    page = uk1.get("/appeals").get_data(as_text=True)
    assert mine.number in page and theirs.number not in page
    assert uk1.get(f"/appeals?organization_id={city.uk2.id}").get_data(as_text=True).count(theirs.number) == 0
    rows = _sheet(uk1)
    assert [r[0] for r in rows[1:]] == [mine.number]
    assert [r[0] for r in _sheet(uk2)[1:]] == [theirs.number]
    assert uk1.get(f"/appeals/{theirs.id}").status_code == 404
    assert sorted(r[0] for r in _sheet(official)[1:]) == sorted([mine.number, theirs.number])


def test_export_has_the_dispatch_log_columns_and_personal_data_only_for_those_who_need_it(app: Flask,
                                                                                       city: City) -> None:
    appeal = register(city.sovetskaya_45.id, text="=HYPERLINK(\"http://evil\")", category="roof", emergency=True)
    dispatcher = client_as(app, "disp2", "dispatcher", city.cgds)
    header, row = _sheet(dispatcher)
    assert header == ("Номер", "Зарегистрировано", "Канал", "Заявитель", "Телефон", "Адрес", "Категория",
                      "Аварийное", "Текст обращения", "Организация", "Статус", "Зарегистрировал", "Срок принятия",
                      "Принято", "Принял", "Срок принятия нарушен", "Срок устранения", "Решено", "Решил",
                      "Срок устранения нарушен", "Результат")
    assert row[0] == appeal.number and row[2] == "телефон" and row[3] == "Иванова Анна"
    assert row[4] == "+79001234567" and row[5] == "ул. Советская, д. 45" and row[6] == "Кровля и водостоки"
    assert row[7] == "да" and row[8] == "=HYPERLINK(\"http://evil\")" and row[9] == city.uk1.name
    assert row[1].strftime("%d.%m.%Y %H:%M") == "02.11.2026 12:00"  # 09:00 UTC in Tambov
    assert row[11] == "dispatcher disp, ЦГДС" and row[12] is not None and row[13] is None and row[14] is None
    assert row[15] == "нет" and row[16] is not None and row[17] is None and row[18] is None and row[19] == "нет"
    official = client_as(app, "official", "official", city.city)
    assert _sheet(official)[1][3:5] == (None, None)


def test_registry_filters_by_status_category_address_channel_dates_and_overdue(app: Flask, city: City,
                                                                             clock: FakeClock) -> None:
    roof = register(city.sovetskaya_45.id)
    clock.advance(timedelta(days=3))
    door = register(city.michurinskaya_112.id, text="Сломан домофон", category="entrance", channel="web")
    client = client_as(app, "coord", "coordinator", city.cgds)

    def numbers(query: str) -> set[str]:
        page = client.get(f"/appeals?{query}").get_data(as_text=True)
        return {a.number for a in (roof, door) if a.number in page}

    assert numbers("category=roof") == {roof.number}
    assert numbers("address=Мичуринская 112") == {door.number}
    assert numbers("channel=web") == {door.number}
    assert numbers(f"organization_id={city.uk2.id}") == {door.number}
    assert numbers("date_from=2026-11-05") == {door.number}
    assert numbers("date_to=2026-11-02") == {roof.number}
    assert numbers("status=assigned") == {roof.number, door.number}
    assert numbers("overdue=1") == {roof.number}
    assert [r[0] for r in _sheet(client, "?category=entrance")[1:]] == [door.number]


@pytest.mark.parametrize("query", ["date_from=31.12.2026", "status=<b>", "organization_id=x", "page=-3",
                                   "page=99999999999", "category=%00"])
def test_bad_filters_are_reported_not_a_server_error(app: Flask, city: City, query: str) -> None:
    client = client_as(app, "coord", "coordinator", city.cgds)
    expected = 422 if "%00" in query else 200  # a NUL byte is refused for the whole request (issue 14)
    assert client.get(f"/appeals?{query}").status_code == expected
    assert client.get(f"/appeals/export.xlsx?{query}").status_code == expected


def test_registry_pages_keep_the_filters(app: Flask, city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appeal_pages, "PER_PAGE", 2)
    for _ in range(3):
        register(city.sovetskaya_45.id, text="Сломан домофон", category="entrance")
    client = client_as(app, "coord", "coordinator", city.cgds)
    first = client.get("/appeals?category=entrance").get_data(as_text=True)
    assert "Страница 1 из 2" in first and "page=2&amp;category=entrance" in first
    assert len(re.findall(r'href="/appeals/\d+"', first)) == 2
    second = client.get("/appeals?category=entrance&page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/appeals/\d+"', second)) == 1


def test_html_in_an_appeals_text_is_shown_as_text_in_the_registry(app: Flask, city: City) -> None:
    register(city.sovetskaya_45.id, text="<script>alert('x')</script><b>течёт</b>")
    page = client_as(app, "coord", "coordinator", city.cgds).get("/appeals").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>течёт</b>" not in page
    assert "&lt;script&gt;" in page
    assert db.session is not None
