"""The supplier decides on a suspected network fault from its task screen, or registers the outage from a
pre-filled form; either way the appeals follow."""
from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import build_city
from tests.registering import register_appeal
from tests.web.helpers import csrf_token
from tests.web.screen_helpers import client_as
from workflows.appeals.models import Appeal, Incident
from workflows.db import db
from workflows.runtime.models import HumanTask


def _storm() -> tuple[object, list[int]]:
    city = build_city()
    houses = [city.sovetskaya_45, city.sovetskaya_47, city.michurinskaya_112]
    ids = [register_appeal({"text": "Нет отопления", "channel": "phone", "category": "heating",
                            "building_id": houses[n % 3].id}).appeal.id for n in range(6)]
    return city, ids


def test_the_task_screen_lists_the_buildings_and_appeals_and_confirming_registers_the_outage(app: Flask) -> None:
    city, ids = _storm()
    task = db.session.scalars(select(HumanTask).where(HumanTask.name == "suspected_outage")).one()
    client = client_as(app, "heat", "org_staff", city.heat)  # type: ignore[attr-defined]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Предполагаемая авария на сети" in page and "ул. Советская, д. 47" in page
    assert "обращений: 6" in page and "Подтвердить: зарегистрировать" in page
    answer = client.post(f"/tasks/{task.id}", data={"csrf_token": csrf_token(page), "decision": "confirm",
                                                    "ends_at": "2026-11-03T01:30", "description": "Порыв"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    outage_incident = db.session.scalars(select(Incident).where(Incident.kind == "outage")).one()
    assert outage_incident.expected_end is not None and outage_incident.expected_end.isoformat().startswith(
        "2026-11-02T22:30")  # 23:30 in Moscow
    db.session.expire_all()
    assert {db.session.get(Appeal, i).incident_id for i in ids} == {outage_incident.id}


def test_the_registration_form_comes_pre_filled_and_saving_it_closes_the_task(app: Flask) -> None:
    city, ids = _storm()
    suspected = db.session.scalars(select(Incident).where(Incident.kind == "suspected")).one()
    client = client_as(app, "heat", "org_staff", city.heat)  # type: ignore[attr-defined]
    page = client.get(f"/staff/outages/new?incident={suspected.id}").get_data(as_text=True)
    assert "ул. Мичуринская, д. 112" in page and "Предполагаемая авария на сети" in page
    starts_at = re.search(r'name="starts_at" value="([^"]+)"', page)
    assert starts_at is not None  # the suspicion's start, in the city's time
    form = {"csrf_token": csrf_token(page), "action": "save", "kind": "emergency", "resource": "heating",
            "organization_id": str(city.heat.id), "starts_at": starts_at.group(1),  # type: ignore[attr-defined]
            "ends_at": "2026-11-03T08:00", "addresses": "ул. Советская, д. 45\nул. Советская, д. 47",
            "description": "Порыв магистрали"}
    answer = client.post("/staff/outages/new", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Incident, suspected.id).status == "absorbed"
    assert db.session.scalars(select(HumanTask).where(HumanTask.name == "suspected_outage",
                                                      HumanTask.status == "open")).all() == []
    outage_incident = db.session.scalars(select(Incident).where(Incident.kind == "outage")).one()
    assert {db.session.get(Appeal, i).incident_id for i in ids} == {outage_incident.id}


def test_a_confirmation_whose_outage_would_be_invalid_keeps_the_task_open_with_field_errors(app: Flask) -> None:
    city, _ = _storm()
    task = db.session.scalars(select(HumanTask).where(HumanTask.name == "suspected_outage")).one()
    client = client_as(app, "heat", "org_staff", city.heat)  # type: ignore[attr-defined]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    answer = client.post(f"/tasks/{task.id}", data={"csrf_token": csrf_token(page), "decision": "confirm",
                                                    "ends_at": "2026-11-01T08:00"})  # before the start
    assert answer.status_code == 422
    assert "позже начала" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HumanTask, task.id).status == "open"
    assert db.session.scalars(select(Incident).where(Incident.kind == "outage")).all() == []
