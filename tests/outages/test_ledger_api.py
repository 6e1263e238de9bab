"""GET /api/v1/ledger (CONTRACT), the ledger screen, suppliers registering only their own resources, and the
limits table whose every row names its source."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from lxml import etree

from tests.appeals.city import City
from tests.outages.helpers import register
from tests.web.helpers import login, user_with_token
from workflows.clock import FakeClock
from workflows.outages import service

DMN = Path(__file__).resolve().parents[2] / "bpmn" / "outage_limits.dmn"
NS = {"d": "https://www.omg.org/spec/DMN/20191111/MODEL/"}


def _month_crossing(city: City, clock: FakeClock) -> int:
    clock.set(datetime(2026, 7, 2, 9, 0, tzinfo=UTC))
    outage = register(city.heat, [city.sovetskaya_45], datetime(2026, 6, 30, 18, 0, tzinfo=UTC), 6,
                      resource="hot_water")
    service.restore_outage(outage.id, {"restored_at": datetime(2026, 7, 1, 0, 0, tzinfo=UTC).isoformat()}, None)
    water = register(city.water, [city.sovetskaya_47], datetime(2026, 7, 1, 6, 0, tzinfo=UTC), 2)
    service.restore_outage(water.id, {"restored_at": water.ends_at.isoformat()}, None)
    return outage.id


def test_the_ledger_api_answers_as_the_contract_says(app: Flask, city: City, clock: FakeClock) -> None:
    outage_id = _month_crossing(city, clock)
    official = user_with_token("official", "official")
    client = app.test_client()
    answer = client.get("/api/v1/ledger?month=2026-07&resource=hot_water", headers=official)
    assert answer.status_code == 200
    [item] = answer.get_json()["items"]
    assert {k: item[k] for k in ("building_id", "resource", "month", "hours_off", "single_limit_hours",
                                 "monthly_limit_hours", "hours_over", "reduction_percent", "outage_ids")} == {
        "building_id": city.sovetskaya_45.id, "resource": "hot_water", "month": "2026-07", "hours_off": 3.0,
        "single_limit_hours": 4.0, "monthly_limit_hours": 8.0, "hours_over": 2.0, "reduction_percent": 0.3,
        "outage_ids": [outage_id]}
    assert item["interruptions"][0]["source"] == "ПП 354, Приложение 1, п. 5"
    both = client.get("/api/v1/ledger?month=2026-07", headers=official).get_json()["items"]
    assert sorted(i["resource"] for i in both) == ["cold_water", "hot_water"]
    one = client.get(f"/api/v1/ledger?month=2026-07&building_id={city.sovetskaya_47.id}", headers=official)
    assert [i["resource"] for i in one.get_json()["items"]] == ["cold_water"]


def test_the_ledger_api_refuses_bad_input_in_russian_and_keeps_organisations_apart(
        app: Flask, city: City, clock: FakeClock) -> None:
    _month_crossing(city, clock)
    client = app.test_client()
    water = user_with_token("water", "org_staff", city.water)
    for query in ("", "?month=июль", "?month=2026-13", "?month=2026-07&resource=tea", "?month=2026-07&building_id=x"):
        answer = client.get(f"/api/v1/ledger{query}", headers=water)
        assert answer.status_code in (400, 422), query
    missing = client.get("/api/v1/ledger", headers=water).get_json()
    assert missing["details"] == {"month": "обязательный параметр: месяц ГГГГ-ММ"}
    own = client.get("/api/v1/ledger?month=2026-07", headers=water).get_json()["items"]
    assert [i["resource"] for i in own] == ["cold_water"]  # not the heat supplier's hot water
    heat = user_with_token("heat", "org_staff", city.heat)
    assert [i["resource"] for i in client.get("/api/v1/ledger?month=2026-07", headers=heat)
            .get_json()["items"]] == ["hot_water"]
    manager = user_with_token("uk", "org_head", city.uk1)  # manages both buildings: sees both resources
    assert len(client.get("/api/v1/ledger?month=2026-07", headers=manager).get_json()["items"]) == 2
    assert client.get("/api/v1/ledger?month=2026-07").status_code == 401


def test_the_ledger_screen_shows_every_interruption_with_its_source_and_exports(
        app: Flask, city: City, clock: FakeClock) -> None:
    _month_crossing(city, clock)
    user_with_token("official", "official")
    client = app.test_client()
    login(client, "official")
    page = client.get("/staff/ledger?month=2026-07").get_data(as_text=True)
    assert "ул. Советская, д. 45" in page and "ул. Советская, д. 47" in page
    assert "ПП 354, Приложение 1, п. 5" in page and "30.06.2026 21:00" in page and "не подтверждено" in page
    assert "снижение платы: <strong>0,3 %" in page and "Журнал перерывов подачи за июль 2026" in page
    assert client.get("/staff/ledger?month=ноябрь").status_code == 422
    excel = client.get("/staff/ledger.xlsx?month=2026-07")
    assert excel.status_code == 200 and excel.data[:2] == b"PK"


def test_a_supplier_registers_outages_only_of_the_resources_it_supplies(
        app: Flask, city: City, clock: FakeClock) -> None:
    water = user_with_token("water", "org_staff", city.water)
    body = {"kind": "emergency", "resource": "electricity", "organization_id": city.water.id,
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat(),
            "building_ids": [city.sovetskaya_45.id]}
    answer = app.test_client().post("/api/v1/outages", json=body, headers=water)
    assert answer.status_code == 422
    assert answer.get_json()["details"]["resource"] == (
        "ООО «РКС-Тамбов» не поставляет электроснабжение: организация может регистрировать отключения только своих "
        "ресурсов (холодную воду, водоотведение)")
    maintenance = app.test_client().post("/api/v1/outages", json={**body, "resource": "cold_water",
                                                                  "kind": "maintenance"}, headers=water)
    assert maintenance.status_code == 422 and "горячего водоснабжения" in maintenance.get_json()["details"]["kind"]
    assert app.test_client().post("/api/v1/outages", json={**body, "resource": "cold_water"},
                                  headers=water).status_code == 201


def test_every_row_of_the_limits_table_names_its_source_in_the_annotation_and_the_output() -> None:
    rules = etree.parse(str(DMN)).getroot().findall(".//d:rule", NS)
    assert len(rules) >= 18
    for rule in rules:
        annotation = rule.find("d:description", NS)
        outputs = [e.findtext("d:text", namespaces=NS) for e in rule.findall("d:outputEntry", NS)]
        assert annotation is not None and annotation.text and annotation.text.startswith("ПП 354"), rule.get("id")
        assert outputs[-1] == f'"{annotation.text}"', rule.get("id")


def test_the_card_says_when_heating_is_judged_by_the_strictest_limit(app: Flask, city: City, clock: FakeClock) -> None:
    from workflows.outages.facts import record_indoor_temperature

    outage = register(city.heat, [city.sovetskaya_45], clock.now(), 6, resource="heating")
    user_with_token("disp", "dispatcher", city.cgds)
    client = app.test_client()
    login(client, "disp")
    card = client.get(f"/staff/outages/{outage.id}").get_data(as_text=True)
    assert "Температура воздуха в жилых помещениях неизвестна — перерыв проверяется по самому строгому пределу" in card
    assert "Разовый предел</strong>: Перерыв 6 ч — больше допустимых 4 ч подряд" in card
    record_indoor_temperature(outage.id, 13, None)
    card = client.get(f"/staff/outages/{outage.id}").get_data(as_text=True)
    assert "Температура воздуха в жилых помещениях: 13 °С" in card and "Нарушения ПП 354 (0)" in card
