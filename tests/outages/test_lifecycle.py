"""The outage process: approval of planned outages, the expected end passing, restoration and the answers."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import callback, register, representative
from tests.registering import register_appeal
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal, Incident
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import OutboxMessage, receive_update
from workflows.outages import service
from workflows.outages.models import OutageFeedback
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task
from workflows.runtime.timers import sweep_timers


def _open_task(outage_id: int, name: str) -> HumanTask:
    return HumanTask.query.filter_by(outage_id=outage_id, name=name, status="open").one()


def test_the_expected_end_passing_sends_works_continue_and_escalates(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    rep = representative(city.sovetskaya_45, 6001)
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=2, minutes=1))
    sweep_timers()
    texts = [m.text for m in telegram.messages_to(rep.address)]
    assert len(texts) == 2 and texts[1].startswith("Работы продолжаются")
    task = _open_task(outage.id, "escalation")
    assert task.roles == "org_head coordinator" and task.organization_id == city.water.id
    sweep_timers()  # nothing more until a new expected end passes
    assert len(telegram.messages_to(rep.address)) == 2
    service.update_outage(outage.id, {"ends_at": (clock.now() + timedelta(hours=1)).isoformat()}, None)
    clock.advance(timedelta(hours=1, minutes=1))
    sweep_timers()
    texts = [m.text for m in telegram.messages_to(rep.address)]
    assert [t.split(":")[0] for t in texts[2:]] == ["Изменён срок", "Работы продолжаются"]


def test_restoration_asks_and_a_no_becomes_an_appeal_linked_to_the_outage(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    says_no, says_yes = representative(city.sovetskaya_45, 6101), representative(city.sovetskaya_45, 6102)
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=1))
    service.restore_outage(outage.id, {}, None)
    [notice] = [m for m in telegram.messages_to(6101) if m.text.startswith("Подача")]
    assert [b.text for b in notice.buttons] == ["Есть", "Нет"]
    rows = {r.recipient_key: r.id for r in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.notice_key == f"outage:{outage.id}:restored"))}
    receive_update("telegram", callback(6101, f"outage_no:{rows[f'rep:{says_no.id}']}"))
    receive_update("telegram", callback(6102, f"outage_yes:{rows[f'rep:{says_yes.id}']}"))
    receive_update("telegram", callback(6102, f"outage_no:{rows[f'rep:{says_no.id}']}"))  # not theirs: ignored

    answers = {f.representative_id: f for f in db.session.scalars(select(OutageFeedback))}
    assert answers[says_yes.id].answer == "yes" and answers[says_yes.id].appeal_id is None
    appeal = db.session.get(Appeal, answers[says_no.id].appeal_id)
    assert appeal is not None and appeal.category == "cold_water" and appeal.emergency
    assert appeal.organization_id == city.water.id  # the РСО, not the УК
    assert appeal.incident is not None and appeal.incident.outage_id == outage.id
    assert db.session.scalar(select(Appeal.id).where(Appeal.id != appeal.id)) is None


def test_an_appeal_during_the_outage_joins_it_and_hears_of_the_restoration(
        app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    appeal = register_appeal({"text": "Нет холодной воды", "channel": "phone", "building_id": city.sovetskaya_45.id,
                              "category": "cold_water"}).appeal
    assert appeal.status == "joined" and appeal.organization_id == city.water.id
    incident = db.session.get(Incident, appeal.incident_id)
    assert incident is not None and incident.outage_id == outage.id and incident.expected_end == outage.ends_at
    service.restore_outage(outage.id, {}, None)
    db.session.refresh(appeal)
    assert appeal.status == "resolved"


def test_a_planned_outage_that_needs_approval_waits_for_cgds(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    representative(city.sovetskaya_45, 6201)
    outage = register(city.heat, [city.sovetskaya_45], clock.now() + timedelta(days=30), 3, kind="planned",
                      resource="heating")
    assert outage.status == "pending_approval" and telegram.messages_to(6201) == []
    coordinator = create_user("coord", "coordinator")
    complete_task(_open_task(outage.id, "approve").id, coordinator, {"decision": "approve"})
    db.session.refresh(outage)
    assert outage.status == "announced" and len(telegram.messages_to(6201)) == 1
    clock.set(outage.starts_at - timedelta(hours=23))
    sweep_timers()
    assert telegram.messages_to(6201)[-1].text.startswith("Напоминаем")


def test_an_emergency_goes_out_at_once_without_approval(app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.heat, [city.sovetskaya_45], clock.now(), 3, resource="heating")
    assert outage.status == "announced"
    assert HumanTask.query.filter_by(outage_id=outage.id, name="approve").count() == 0
