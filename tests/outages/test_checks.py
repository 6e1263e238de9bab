"""Checks against ПП 354: each kind of violation is flagged, recorded and raises a coordinator task."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from tests.appeals.city import City
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import message, register, representative
from workflows.clock import FakeClock
from workflows.delivery import receive_update
from workflows.outages import service
from workflows.outages.queries import violations_of
from workflows.runtime.models import HumanTask


def _kinds(outage_id: int) -> set[str]:
    return {v.kind for v in violations_of(outage_id)}


def test_a_duration_over_the_single_limit_is_flagged_and_the_coordinator_gets_a_task(
        app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 5)  # cold water: 4 h at once
    assert _kinds(outage.id) == {"single_limit"}
    [violation] = violations_of(outage.id)
    assert violation.building_ids == [city.sovetskaya_45.id] and violation.details["limit"] == 4
    assert outage.status == "announced"  # residents must know regardless
    task = HumanTask.query.filter_by(outage_id=outage.id, name="review_violations", status="open").one()
    assert task.roles == "coordinator"


def test_the_months_total_over_the_monthly_limit_is_flagged(app: Flask, city: City, clock: FakeClock) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    house = [city.sovetskaya_45]
    for days_ago in (3, 2):
        earlier = register(city.water, house, clock.now() - timedelta(days=days_ago), 3)
        service.restore_outage(earlier.id, {"restored_at": earlier.ends_at.isoformat()}, None)
    outage = register(city.water, house, clock.now(), 3)  # 3 + 3 + 3 = 9 h > 8 h
    assert _kinds(outage.id) == {"monthly_limit"}
    assert violations_of(outage.id)[0].details["totals"] == {str(city.sovetskaya_45.id): 9.0}


def test_a_planned_outage_announced_later_than_the_lead_time_is_flagged(
        app: Flask, city: City, clock: FakeClock) -> None:
    soon = register(city.water, [city.sovetskaya_45], clock.now() + timedelta(days=2), 3, kind="planned")
    ahead = register(city.water, [city.sovetskaya_47], clock.now() + timedelta(days=30), 3, kind="planned")
    assert _kinds(soon.id) == {"lead_time"}
    assert _kinds(ahead.id) == set()


def test_overlapping_outages_of_one_resource_on_one_building_are_flagged(
        app: Flask, city: City, clock: FakeClock) -> None:
    first = register(city.water, [city.sovetskaya_45, city.sovetskaya_47], clock.now(), 2)
    other_resource = register(city.power, [city.sovetskaya_45], clock.now(), 1, resource="electricity")
    second = register(city.water, [city.sovetskaya_47, city.michurinskaya_112], clock.now() + timedelta(hours=1), 2)
    assert _kinds(first.id) == set() and _kinds(other_resource.id) == set()
    [overlap] = violations_of(second.id)
    assert overlap.kind == "overlap" and overlap.building_ids == [city.sovetskaya_47.id]
    assert overlap.details["outage_ids"] == [first.id]


def test_building_attributes_choose_the_limit_from_the_dmn_table(app: Flask, city: City, clock: FakeClock) -> None:
    city.sovetskaya_45.power_sources, city.sovetskaya_47.power_sources = 2, 1
    three_hours = register(city.power, [city.sovetskaya_45, city.sovetskaya_47], clock.now(), 3,
                           resource="electricity")
    [violation] = violations_of(three_hours.id)
    assert violation.kind == "single_limit" and violation.building_ids == [city.sovetskaya_45.id]


def test_a_building_with_an_unknown_number_of_power_sources_gets_the_stricter_two_hours(
        app: Flask, city: City, clock: FakeClock) -> None:
    city.sovetskaya_47.power_sources = 1
    assert city.michurinskaya_112.power_sources is None  # the registry does not know
    three_hours = register(city.power, [city.sovetskaya_47, city.michurinskaya_112], clock.now(), 3,
                           resource="electricity")
    [violation] = violations_of(three_hours.id)
    assert violation.building_ids == [city.michurinskaya_112.id] and violation.details["limit"] == 2
    assert violation.message == ("Перерыв 3 ч — больше допустимых 2 ч подряд: электроснабжение, число источников "
                                 "питания неизвестно — по строгому пределу 2 ч (ПП 354, Приложение 1, п. 9)")


def test_a_representative_reports_the_indoor_temperature_and_the_heating_limit_follows(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    representative(city.sovetskaya_45, 8301)
    outage = register(city.heat, [city.sovetskaya_45, city.sovetskaya_47], clock.now(), 10, resource="heating")
    [violation] = violations_of(outage.id)  # unknown: 4 h for both buildings
    assert violation.building_ids == [city.sovetskaya_45.id, city.sovetskaya_47.id]
    receive_update("telegram", message(8301, "/temp 13,5"))
    assert telegram.messages_to(8301)[-1].text == "Спасибо! Записали температуру в квартире: 13,5 °C."
    [violation] = violations_of(outage.id)  # 45 has +13.5 °C: 16 h; 47 is still unknown
    assert violation.building_ids == [city.sovetskaya_47.id]
    receive_update("telegram", message(8301, "/temp тепло"))
    assert telegram.messages_to(8301)[-1].text.startswith("Напишите температуру в квартире числом")
    receive_update("telegram", message(8399, "/temp 10"))  # not a representative: the residents' bot answers
    assert "Записали" not in telegram.messages_to(8399)[-1].text
    assert [v.building_ids for v in violations_of(outage.id)] == [[city.sovetskaya_47.id]]
