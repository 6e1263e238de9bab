"""Many appeals about one cause become one incident: one thing for the organisation to act on."""
from __future__ import annotations

from flask import Flask

from tests.appeals.city import City
from tests.registering import register_appeal
from workflows.accounts.models import User
from workflows.appeals.models import Appeal, AppealEvent, Incident
from workflows.db import db
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task


def _heating_failure(city: City, count: int) -> list[Appeal]:
    """Residents write to the Telegram bot: each notice is queued to their chat (phone callers: test_feedback)."""
    return [register_appeal({"text": f"Нет отопления, сообщение {n}", "channel": "telegram",
                             "building_id": city.michurinskaya_112.id, "category": "heating", "emergency": True,
                             "applicant": {"chat_id": str(7000 + n), "channel": "telegram"}}).appeal
            for n in range(count)]


def test_fifty_appeals_about_one_failure_form_one_incident_with_one_task(app: Flask, city: City) -> None:
    appeals = _heating_failure(city, 50)
    assert db.session.query(Incident).count() == 1
    incident = db.session.query(Incident).one()
    assert {a.incident_id for a in appeals} == {incident.id}
    assert incident.primary_appeal_id == appeals[0].id
    open_tasks = db.session.query(HumanTask).filter(HumanTask.status == "open",
                                                    HumanTask.organization_id == city.uk2.id).all()
    assert [t.name for t in open_tasks] == ["accept"]
    assert sum(1 for a in appeals if a.status == "joined") == 49
    joined_notices = db.session.query(AppealEvent).filter_by(kind="applicant_notified").filter(
        AppealEvent.appeal_id == appeals[1].id).all()
    assert joined_notices and "присоединено к известной аварии" in (joined_notices[0].text or "")


def test_resolving_the_incident_tells_every_joined_appeal(app: Flask, city: City) -> None:
    appeals = _heating_failure(city, 5)
    staff = User(login="uk2", role="org_staff", organization_id=city.uk2.id)
    db.session.add(staff)
    db.session.commit()
    primary = appeals[0]
    for name, data in (("accept", {"decision": "accept"}), ("resolve", {"result": "resolved",
                                                                        "comment": "заменён участок трубы"})):
        task = db.session.query(HumanTask).filter_by(instance_id=primary.instance_id, name=name,
                                                     status="open").one()
        complete_task(task.id, staff, data)
    db.session.expire_all()
    assert db.session.query(Incident).one().status == "resolved"
    statuses = [db.session.get(Appeal, a.id).status for a in appeals]
    assert statuses == ["resolved"] * 5
    last = db.session.query(AppealEvent).filter_by(appeal_id=appeals[4].id, kind="applicant_notified") \
        .order_by(AppealEvent.id.desc()).first()
    assert last is not None and "устранено" in (last.text or "")


def test_appeals_about_other_resources_or_buildings_do_not_join(app: Flask, city: City) -> None:
    _heating_failure(city, 2)
    other_building = register_appeal({"text": "Нет отопления", "channel": "phone", "category": "heating",
                                      "emergency": True, "building_id": city.sovetskaya_45.id}).appeal
    other_resource = register_appeal({"text": "Нет воды", "channel": "phone", "category": "cold_water",
                                      "emergency": True, "building_id": city.michurinskaya_112.id}).appeal
    assert db.session.query(Incident).count() == 3
    assert other_building.status == "assigned" and other_resource.status == "assigned"
