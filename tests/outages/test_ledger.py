"""The interruption ledger of ПП 354 (Приложение 1), with the figures of issue 17, on SQLite and PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.appeals.city import City
from tests.conftest import make_app
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import GrantAll, register, representative
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages import service
from workflows.outages.feedback import record_answer
from workflows.outages.ledger import LedgerRow, Scope, ledger
from workflows.outages.ledger_export import to_xlsx
from workflows.outages.queries import violations_of
from workflows.services import services_of


@pytest.fixture
def app(tmp_path: Path, telegram: FakeTelegram, any_db_url: str) -> Iterator[Flask]:
    application = make_app(tmp_path, any_db_url, TELEGRAM_API_URL=telegram.url, TELEGRAM_TOKEN=telegram.token,
                           TELEGRAM_TIMEOUT=5, TELEGRAM_RATE=100000, TELEGRAM_BOT_NAME="otklik_test_bot")
    services_of(application).limiter = GrantAll()
    with application.app_context():
        yield application
        db.session.remove()


def msk(*parts: int) -> datetime:
    """A Moscow wall-clock time (UTC+3) as an aware UTC datetime."""
    return datetime(*parts, tzinfo=UTC) - timedelta(hours=3)  # type: ignore[misc]


def restore(outage_id: int, at: datetime) -> None:
    service.restore_outage(outage_id, {"restored_at": at.isoformat()}, None)


def row(building_id: int, month: tuple[int, int], resource: str) -> LedgerRow:
    [found] = ledger(Scope(month, building_id, resource))
    return found


def test_a_hot_water_outage_across_midnight_at_the_months_end_is_two_hours_over_in_july(
        app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 7, 2, 12, 0))
    outage = register(city.heat, [city.sovetskaya_45], msk(2026, 6, 30, 21, 0), 6, resource="hot_water")
    restore(outage.id, msk(2026, 7, 1, 3, 0))
    june, july = row(city.sovetskaya_45.id, (2026, 6), "hot_water"), row(city.sovetskaya_45.id, (2026, 7), "hot_water")
    assert (june.figures.hours_off, june.figures.hours_over, june.figures.reduction_percent) == (3.0, 0.0, 0.0)
    assert (july.figures.hours_off, july.figures.hours_over, july.figures.reduction_percent) == (3.0, 2.0, 0.3)
    [item] = july.interruption_dicts()
    assert (item["hours"], item["hours_in_month"], item["hours_over_single_in_month"]) == (6.0, 3.0, 2.0)
    assert item["source"] == "ПП 354, Приложение 1, п. 5" and item["single_limit_hours"] == 4
    assert [v.kind for v in violations_of(outage.id)] == ["single_limit"]


def test_the_annual_hot_water_maintenance_of_14_days_is_not_over_the_limit(
        app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 6, 1, 9, 0))
    outage = register(city.heat, [city.sovetskaya_45], msk(2026, 7, 1, 8, 0), 14 * 24, kind="maintenance",
                      resource="hot_water")
    assert violations_of(outage.id) == []
    assert outage.status == "pending_approval"  # the annual schedule goes through ЦГДС (outage_approval.dmn)
    clock.set(msk(2026, 7, 20, 9, 0))
    restore(outage.id, msk(2026, 7, 15, 8, 0))
    july = row(city.sovetskaya_45.id, (2026, 7), "hot_water")
    assert (july.figures.hours_off, july.figures.hours_over, july.figures.reduction_percent) == (336.0, 0.0, 0.0)
    assert july.figures.counted_hours == 0.0  # not in the month's 8 h
    assert july.interruption_dicts()[0]["rule"].startswith("ежегодные ремонтные и профилактические работы ГВС")


def test_a_24_hour_accident_on_a_dead_end_main_is_not_over_but_elsewhere_it_is(
        app: Flask, city: City, clock: FakeClock) -> None:
    city.sovetskaya_45.dead_end_hot_water = True
    db.session.commit()
    clock.set(msk(2026, 11, 20, 12, 0))
    outage = register(city.heat, [city.sovetskaya_45, city.sovetskaya_47], msk(2026, 11, 10, 8, 0), 24,
                      resource="hot_water")
    restore(outage.id, msk(2026, 11, 11, 8, 0))
    dead_end = row(city.sovetskaya_45.id, (2026, 11), "hot_water")
    ordinary = row(city.sovetskaya_47.id, (2026, 11), "hot_water")
    assert (dead_end.figures.hours_off, dead_end.figures.hours_over) == (24.0, 0.0)
    assert (ordinary.figures.hours_off, ordinary.figures.hours_over, ordinary.figures.reduction_percent) == (
        24.0, 20.0, 3.0)  # 24 - 4 at once (more than 24 - 8 a month)
    [violation] = [v for v in violations_of(outage.id) if v.kind == "single_limit"]
    assert violation.building_ids == [city.sovetskaya_47.id]


def test_an_overlapping_duplicate_is_counted_once(app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 11, 20, 12, 0))
    first = register(city.water, [city.sovetskaya_45], msk(2026, 11, 5, 10, 0), 3)
    duplicate = register(city.water, [city.sovetskaya_45], msk(2026, 11, 5, 10, 0), 3)
    later = register(city.water, [city.sovetskaya_45], msk(2026, 11, 5, 12, 0), 3)  # 12:00–15:00
    for outage in (first, duplicate):
        restore(outage.id, msk(2026, 11, 5, 13, 0))
    restore(later.id, msk(2026, 11, 5, 15, 0))
    month = row(city.sovetskaya_45.id, (2026, 11), "cold_water")
    assert month.figures.hours_off == 5.0  # 10:00–15:00 once, not 3 + 3 + 3
    assert month.figures.hours_over == 1.0 and month.figures.reduction_percent == 0.15
    [item] = month.interruption_dicts()
    assert item["outage_ids"] == [first.id, duplicate.id, later.id]
    assert "overlap" in {v.kind for v in violations_of(duplicate.id)}


def test_no_to_the_restoration_notice_extends_the_interruption_until_it_is_confirmed(
        app: Flask, city: City, clock: FakeClock) -> None:
    rep = representative(city.sovetskaya_45, 7001)
    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=2))
    restore(outage.id, clock.now())  # the supplier claims 12:00
    assert row(city.sovetskaya_45.id, (2026, 11), "cold_water").figures.hours_off == 2.0
    assert violations_of(outage.id) == []
    record_answer(outage.id, rep.id, "no")
    db.session.commit()
    clock.advance(timedelta(hours=3))  # 15:00, still no water
    going = row(city.sovetskaya_45.id, (2026, 11), "cold_water")
    assert (going.figures.hours_off, going.figures.hours_over) == (5.0, 1.0)
    assert going.interruption_dicts()[0]["ongoing"] is True
    record_answer(outage.id, rep.id, "yes")  # water is back at 15:00
    db.session.commit()
    clock.advance(timedelta(hours=10))
    done = row(city.sovetskaya_45.id, (2026, 11), "cold_water")
    assert (done.figures.hours_off, done.figures.hours_over, done.figures.reduction_percent) == (5.0, 1.0, 0.15)
    [item] = done.interruption_dicts()
    assert item["claimed_restored_at"] == msk(2026, 11, 5, 12, 0).isoformat()
    assert item["confirmed_restored_at"] == msk(2026, 11, 5, 15, 0).isoformat()
    [violation] = violations_of(outage.id)
    assert violation.kind == "single_limit" and violation.details["hours"] == 5.0


def test_yes_confirms_the_claimed_time_and_silence_leaves_it_unconfirmed(
        app: Flask, city: City, clock: FakeClock) -> None:
    rep = representative(city.sovetskaya_45, 7002)
    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45, city.sovetskaya_47], clock.now(), 2)
    clock.advance(timedelta(hours=2))
    restore(outage.id, clock.now())
    record_answer(outage.id, rep.id, "yes")
    db.session.commit()
    clock.advance(timedelta(hours=5))
    confirmed = row(city.sovetskaya_45.id, (2026, 11), "cold_water").interruption_dicts()[0]
    silent = row(city.sovetskaya_47.id, (2026, 11), "cold_water").interruption_dicts()[0]
    assert confirmed["confirmed_restored_at"] == msk(2026, 11, 5, 12, 0).isoformat() and confirmed["hours"] == 2.0
    assert silent["confirmed_restored_at"] is None and silent["hours"] == 2.0 and silent["ongoing"] is False


def test_violations_are_judged_again_when_the_end_changes_and_at_restoration(
        app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 3)
    assert violations_of(outage.id) == []
    service.update_outage(outage.id, {"ends_at": msk(2026, 11, 5, 16, 20).isoformat()}, None)
    [violation] = violations_of(outage.id)
    assert violation.message == ("Перерыв 6.33 ч — больше допустимых 4 ч подряд: холодное водоснабжение — 4 ч "
                                 "подряд, 8 ч в месяц (ПП 354, Приложение 1, п. 1)")
    clock.advance(timedelta(hours=4))
    restore(outage.id, msk(2026, 11, 5, 13, 30))
    assert violations_of(outage.id) == []


def test_heating_is_judged_by_the_indoor_temperature_and_by_the_strictest_limit_until_it_is_known(
        app: Flask, city: City, clock: FakeClock) -> None:
    from workflows.outages.facts import record_indoor_temperature

    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.heat, [city.sovetskaya_45], clock.now(), 6, resource="heating")
    [violation] = violations_of(outage.id)
    assert violation.details["limit"] == 4 and "температура в жилых помещениях неизвестна" in violation.message
    record_indoor_temperature(outage.id, 13, None)
    assert violations_of(outage.id) == []  # 16 h at +12 °C and above
    record_indoor_temperature(outage.id, 9.5, None)
    [violation] = violations_of(outage.id)
    assert violation.details["limit"] == 4 and "+8…+10 °C" in violation.message


def test_a_cold_water_accident_on_a_centralised_network_follows_its_own_row(
        app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 1, network_accident=True)
    [violation] = violations_of(outage.id)
    assert violation.details["limit"] == 0.17 and "СНиП 2.04.02-84" in violation.details["source"]
    assert "больше допустимых 10 мин подряд" in violation.message


def test_the_excel_export_lists_every_interruption(app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 7, 2, 12, 0))
    outage = register(city.heat, [city.sovetskaya_45], msk(2026, 6, 30, 21, 0), 6, resource="hot_water")
    restore(outage.id, msk(2026, 7, 1, 3, 0))
    other = register(city.water, [city.sovetskaya_45], msk(2026, 7, 1, 9, 0), 1)
    restore(other.id, msk(2026, 7, 1, 10, 0))
    book = load_workbook(BytesIO(to_xlsx(ledger(Scope((2026, 7))))))
    summary = list(book["Месяц"].iter_rows(values_only=True))
    detail = list(book["Перерывы"].iter_rows(values_only=True))
    assert summary[0][0] == "Адрес" and len(summary) == 3 and len(detail) == 3
    hot = next(r for r in summary if r[1] == "горячая вода")
    assert hot[3:10] == (3.0, "4 ч", "8 ч", 2.0, 0.0, 2.0, 0.3)
    line = next(r for r in detail if r[1] == "горячая вода")
    assert line[6:11] == ("30.06.2026 21:00", "01.07.2026 03:00", "не подтверждено", "01.07.2026 03:00", 6.0)
    assert line[14] == "ПП 354, Приложение 1, п. 5"


def test_residents_reporting_the_resource_missing_dispute_a_fresh_restoration(
        app: Flask, city: City, clock: FakeClock) -> None:
    from tests.registering import register_appeal

    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=2))
    restore(outage.id, clock.now())
    clock.advance(timedelta(hours=1))
    register_appeal({"text": "Воды так и нет", "channel": "phone", "building_id": city.sovetskaya_45.id,
                     "category": "cold_water", "emergency": True})
    clock.advance(timedelta(hours=2))  # 15:00
    going = row(city.sovetskaya_45.id, (2026, 11), "cold_water")
    assert going.figures.hours_off == 5.0 and going.interruption_dicts()[0]["disputed_at"] == msk(
        2026, 11, 5, 13, 0).isoformat()


def test_waste_collection_is_judged_by_the_outdoor_temperature(app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(msk(2026, 11, 10, 9, 0))
    warm = register(city.waste, [city.sovetskaya_45], msk(2026, 11, 5, 8, 0), 32, resource="waste",
                    outdoor_temperature=10)
    cold = register(city.waste, [city.sovetskaya_47], msk(2026, 11, 5, 8, 0), 32, resource="waste",
                    outdoor_temperature=-3)
    for outage in (warm, cold):
        restore(outage.id, msk(2026, 11, 6, 16, 0))
    [violation] = violations_of(warm.id)
    assert violation.details["limit"] == 24 and violation.details["source"] == "ПП 354, Приложение 1, п. 17"
    assert violations_of(cold.id) == []  # 48 h at +5 °C and below
    over = row(city.sovetskaya_45.id, (2026, 11), "waste")
    assert (over.figures.hours_over, over.figures.reduction_percent) == (8.0, 1.1)  # 3.3 % per 24 h
    assert row(city.sovetskaya_47.id, (2026, 11), "waste").figures.hours_over == 0.0


def test_an_outage_running_past_its_expected_end_is_judged_again_when_the_end_passes(
        app: Flask, city: City, clock: FakeClock) -> None:
    from workflows.runtime.timers import sweep_timers

    clock.set(msk(2026, 11, 5, 10, 0))
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 3)
    assert violations_of(outage.id) == []
    clock.set(msk(2026, 11, 5, 15, 0))  # expected 13:00, still no water at 15:00
    sweep_timers()
    [violation] = violations_of(outage.id)
    assert violation.kind == "single_limit" and violation.details["hours"] == 5.0
