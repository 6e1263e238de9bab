"""The bad day: one cause becomes one incident with the right owner — before anyone registers an outage, and after.

Each test runs on SQLite and on PostgreSQL.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.registering import register_appeal
from workflows.accounts.models import User
from workflows.appeals.answers import confirm_resolution
from workflows.appeals.models import Appeal, AppealEvent, Incident, IncidentBuilding
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages.service import register_outage, restore_outage
from workflows.registry.models import Building
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task
from workflows.services import services_of


@pytest.fixture
def app(db_app: Flask) -> Flask:
    """The shared db_app, under the name tests/appeals/conftest.py's `city` and the root `clock` take."""
    return db_app


def _heating(building: Building, n: int, emergency: bool | None = None) -> Appeal:
    payload = {"text": f"Нет отопления в квартире, звонок {n}", "channel": "telegram", "building_id": building.id,
               "category": "heating", "applicant": {"name": f"Житель {n}", "chat_id": str(1000 + n)}}
    if emergency is not None:
        payload["emergency"] = emergency
    return register_appeal(payload).appeal


def _open_tasks(name: str, organization_id: int | None = None) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.status == "open", HumanTask.name == name)
    if organization_id is not None:
        query = query.where(HumanTask.organization_id == organization_id)
    return list(db.session.scalars(query))


def _user(login: str, role: str, organization_id: int | None) -> User:
    user = User(login=login, role=role, organization_id=organization_id)
    db.session.add(user)
    db.session.commit()
    return user


def _reload(appeals: list[Appeal]) -> list[Appeal]:
    db.session.expire_all()
    return [db.session.get(Appeal, a.id) for a in appeals]


def _four_buildings(city: City) -> list[Building]:
    return [city.sovetskaya_45, city.sovetskaya_47, city.michurinskaya_112, city.tsj_house]


def test_appeals_from_three_buildings_of_one_supplier_open_a_suspected_outage_for_it(app: Flask, city: City) -> None:
    houses = _four_buildings(city)
    first = [_heating(houses[0], 1), _heating(houses[0], 2, emergency=False), _heating(houses[1], 3)]
    assert db.session.scalar(select(Incident).where(Incident.kind == "suspected")) is None  # two buildings: below
    assert {t.organization_id for t in _open_tasks("accept")} == {city.uk1.id}
    third = _heating(houses[2], 4)

    suspected = db.session.scalars(select(Incident).where(Incident.kind == "suspected")).one()
    assert suspected.organization_id == city.heat.id and suspected.status == "open"
    covered = set(db.session.scalars(select(IncidentBuilding.building_id)
                                     .where(IncidentBuilding.incident_id == suspected.id)))
    assert covered == {houses[0].id, houses[1].id, houses[2].id}
    task = _open_tasks("suspected_outage")
    assert len(task) == 1 and task[0].organization_id == city.heat.id
    assert set(task[0].roles.split()) >= {"org_staff", "coordinator"}
    assert _open_tasks("accept") == []  # the management company's tasks closed
    appeals = _reload(first + [third])
    assert {a.incident_id for a in appeals} == {suspected.id}
    assert {a.organization_id for a in appeals} == {city.heat.id}
    assert {a.status for a in appeals} == {"joined"}
    absorbed = db.session.scalars(select(Incident).where(Incident.kind == "building")).all()
    assert absorbed and {i.status for i in absorbed} == {"absorbed"}
    told = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == first[0].id,
                                                        AppealEvent.kind == "incident_absorbed")).all()
    assert told and "передано" in (told[0].text or "")

    later = _heating(houses[3], 5)  # a new caller from another of the supplier's buildings hears it is known
    assert later.incident_id == suspected.id and later.status == "joined"
    notice = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == later.id,
                                                          AppealEvent.kind == "applicant_notified")).first()
    assert notice is not None and "присоединено к известной аварии" in (notice.text or "")
    assert len(_open_tasks("suspected_outage")) == 1


def test_appeals_spread_over_more_than_the_window_are_not_a_network_fault(app: Flask, city: City,
                                                                          clock: FakeClock) -> None:
    houses = _four_buildings(city)
    _heating(houses[0], 1)
    clock.advance(timedelta(minutes=31))
    _heating(houses[1], 2)
    _heating(houses[2], 3)
    assert db.session.scalar(select(Incident).where(Incident.kind == "suspected")) is None
    assert len(_open_tasks("accept")) == 3  # one per building, each to its management company


def test_confirming_registers_the_outage_and_restoration_answers_every_appeal(app: Flask, city: City,
                                                                               clock: FakeClock) -> None:
    houses = _four_buildings(city)
    appeals = [_heating(houses[n % 3], n) for n in range(9)]
    staff = _user("heat", "org_staff", city.heat.id)
    task = _open_tasks("suspected_outage")[0]
    ends_at = (clock.now() + timedelta(hours=6)).isoformat()
    complete_task(task.id, staff, {"decision": "confirm", "ends_at": ends_at, "description": "Порыв магистрали"})

    incident = db.session.scalars(select(Incident).where(Incident.kind == "outage")).one()
    assert incident.organization_id == city.heat.id and incident.outage_id is not None
    assert {a.incident_id for a in _reload(appeals)} == {incident.id}
    assert db.session.scalars(select(Incident).where(Incident.kind == "suspected")).one().status == "absorbed"

    clock.advance(timedelta(hours=3))
    restore_outage(incident.outage_id, {}, staff)
    appeals = _reload(appeals)
    assert [a.status for a in appeals] == ["resolved"] * 9  # none left open
    for appeal in appeals:
        last = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal.id,
                                                            AppealEvent.kind == "applicant_notified")
                                  .order_by(AppealEvent.id.desc())).first()
        assert last is not None and "восстановлена" in (last.text or "") and "Всё ещё нет" in (last.text or "")


def test_rejecting_sends_the_appeals_back_to_each_building_s_organisation(app: Flask, city: City) -> None:
    houses = _four_buildings(city)
    appeals = [_heating(houses[n % 3], n) for n in range(6)]
    coordinator = _user("coord", "coordinator", None)
    task = _open_tasks("suspected_outage")[0]
    complete_task(task.id, coordinator, {"decision": "reject", "comment": "Стояки в домах, не магистраль"})

    assert db.session.scalars(select(Incident).where(Incident.kind == "suspected")).one().status == "rejected"
    accept = _open_tasks("accept")
    assert sorted(t.organization_id for t in accept) == sorted([city.uk1.id, city.uk1.id, city.uk2.id])
    appeals = _reload(appeals)
    assert {a.organization_id for a in appeals} == {city.uk1.id, city.uk2.id}
    back = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeals[0].id,
                                                        AppealEvent.kind == "incident_released")).one()
    assert "Стояки в домах" in (back.text or "")
    assert db.session.scalars(select(Incident).where(Incident.kind == "suspected")).one() is not None
    assert len(db.session.scalars(select(Incident).where(Incident.kind == "suspected")).all()) == 1  # not again


def test_non_emergency_appeals_on_one_building_form_one_incident(app: Flask, city: City) -> None:
    appeals = [_heating(city.sovetskaya_45, n, emergency=False) for n in range(4)]
    incident = db.session.scalars(select(Incident)).one()
    assert {a.incident_id for a in appeals} == {incident.id}
    assert [t.organization_id for t in _open_tasks("accept")] == [city.uk1.id]


def test_registering_an_outage_absorbs_the_building_incidents_and_routes_new_calls_to_the_supplier(
        app: Flask, city: City, clock: FakeClock) -> None:
    before = [_heating(city.sovetskaya_45, n, emergency=n == 0) for n in range(3)]
    assert [t.organization_id for t in _open_tasks("accept")] == [city.uk1.id]
    staff = _user("heat", "org_staff", city.heat.id)
    outage = register_outage({"kind": "emergency", "resource": "heating", "organization_id": city.heat.id,
                              "starts_at": (clock.now() - timedelta(minutes=10)).isoformat(),
                              "ends_at": (clock.now() + timedelta(hours=5)).isoformat(),
                              "description": "Порыв теплотрассы", "building_ids": [city.sovetskaya_45.id]}, staff)
    incident = db.session.scalars(select(Incident).where(Incident.kind == "outage")).one()
    assert _open_tasks("accept") == []
    assert {a.incident_id for a in _reload(before)} == {incident.id}
    after = _heating(city.sovetskaya_45, 9)
    assert after.incident_id == incident.id and after.organization_id == city.heat.id

    restore_outage(outage.id, {}, staff)
    assert [a.status for a in _reload(before + [after])] == ["resolved"] * 4


def test_still_no_heat_after_restoration_reopens_the_building_as_the_supplier_s_incident(
        app: Flask, city: City, clock: FakeClock) -> None:
    staff = _user("heat", "org_staff", city.heat.id)
    outage = register_outage({"kind": "emergency", "resource": "heating", "organization_id": city.heat.id,
                              "starts_at": clock.now().isoformat(),
                              "ends_at": (clock.now() + timedelta(hours=5)).isoformat(),
                              "building_ids": [city.sovetskaya_45.id, city.sovetskaya_47.id]}, staff)
    appeals = [_heating(city.sovetskaya_45, 1), _heating(city.sovetskaya_45, 2)]
    restore_outage(outage.id, {}, staff)
    confirm_resolution(appeals[0].id, "not_fixed")
    confirm_resolution(appeals[1].id, "not_fixed")
    appeals = _reload(appeals)
    reopened = db.session.get(Incident, appeals[0].incident_id)
    assert reopened is not None and reopened.kind == "building" and reopened.outage_id == outage.id
    assert reopened.organization_id == city.heat.id and appeals[1].incident_id == reopened.id
    assert [t.organization_id for t in _open_tasks("accept")] == [city.heat.id]


def test_an_appeal_in_flight_while_the_outage_is_registered_joins_it(pg_url: str, tmp_path: Path) -> None:
    """The appeal has found no outage and is still in its transaction when the registration runs: the
    registration waits for it (one lock per supplier and resource) and then takes its incident over."""
    import threading

    application = make_app(tmp_path, pg_url)
    with application.app_context():
        city = build_city()
        fake: FakeClock = services_of(application).clock
        now = fake.now()
        heat_id, house_id = city.heat.id, city.sovetskaya_45.id
        db.session.remove()
    in_flight, outcome = threading.Event(), {}
    original_commit = db.session.commit

    def held_commit() -> None:
        if threading.current_thread().name == "call" and not in_flight.is_set():
            in_flight.set()
            threading.Event().wait(1.0)
        original_commit()

    def call() -> None:
        with application.app_context():
            try:
                outcome["appeal"] = register_appeal({"text": "Нет отопления", "channel": "phone", "category": "heating",
                                                     "building_id": house_id}).appeal.id
            finally:
                db.session.remove()

    def register() -> None:
        in_flight.wait(10)
        with application.app_context():
            try:
                outcome["outage"] = register_outage({
                    "kind": "emergency", "resource": "heating", "organization_id": heat_id,
                    "starts_at": now.isoformat(), "ends_at": (now + timedelta(hours=4)).isoformat(),
                    "building_ids": [house_id]}, None).id
            finally:
                db.session.remove()

    db.session.commit = held_commit  # type: ignore[method-assign]
    try:
        threads = [threading.Thread(target=call, name="call"), threading.Thread(target=register, name="register")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        db.session.commit = original_commit  # type: ignore[method-assign]
    with application.app_context():
        appeal = db.session.get(Appeal, outcome["appeal"])
        incident = db.session.scalars(select(Incident).where(Incident.kind == "outage")).one()
        assert incident.outage_id == outcome["outage"]
        assert appeal is not None and appeal.incident_id == incident.id and appeal.organization_id == heat_id
        assert db.session.scalars(select(HumanTask).where(HumanTask.name == "accept",
                                                          HumanTask.status == "open")).all() == []
        db.session.remove()
