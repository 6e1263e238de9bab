"""Honest feedback per channel: chats get the notice queued, phone callers an SMS where SMS is configured or
else a call-back task for ЦГДС; nothing is claimed sent when it was not, and no question goes unheard."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.registering import register_appeal
from workflows.accounts.models import User
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import complete_task


def _resolve(city: City, appeal: Appeal) -> None:
    staff = User(login=f"staff{appeal.id}", role="org_staff", organization_id=city.uk1.id, full_name="Иванов")
    db.session.add(staff)
    db.session.commit()
    for name, data in (("accept", {"decision": "accept"}), ("resolve", {"result": "resolved", "comment": "починили"})):
        task = db.session.query(HumanTask).filter_by(appeal_id=appeal.id, name=name, status="open").one()
        complete_task(task.id, staff, data)


def _events(appeal: Appeal, kind: str) -> list[AppealEvent]:
    return db.session.query(AppealEvent).filter_by(appeal_id=appeal.id, kind=kind).order_by(AppealEvent.id).all()


def _phone_call(city: City, phone: str | None = "+79001234567") -> Appeal:
    return register_appeal({"text": "Течёт крыша", "channel": "phone", "building_id": city.sovetskaya_45.id,
                            "category": "roof", "applicant": {"name": "Иванова", "phone": phone}}).appeal


def test_a_phone_caller_without_sms_gets_a_call_back_task_and_no_claimed_notice(app: Flask, city: City) -> None:
    appeal = _phone_call(city)
    _resolve(city, appeal)
    assert _events(appeal, "applicant_notified") == []
    [due] = _events(appeal, "callback_due")
    assert due.text is not None and "устранено. починили Проблема решена?" in due.text
    task = db.session.query(HumanTask).filter_by(appeal_id=appeal.id, name="call_back", status="open").one()
    assert task.role_list == ["dispatcher", "coordinator"] and task.due_at is not None
    assert db.session.query(OutboxMessage).count() == 0
    dispatcher = User(login="disp", role="dispatcher", organization_id=city.cgds.id, full_name="Петрова")
    db.session.add(dispatcher)
    db.session.commit()
    complete_task(task.id, dispatcher, {"reached": "yes", "comment": "жительница подтвердила"})
    [done] = _events(appeal, "callback_done")
    assert done.actor_id == dispatcher.id and done.text == "жительница подтвердила"


def test_a_phone_caller_gets_an_sms_where_sms_is_configured(tmp_path: Path) -> None:
    app = make_app(tmp_path, SMS_API_KEY="test-key")
    with app.app_context():
        city = build_city()
        appeal = _phone_call(city)
        _resolve(city, appeal)
        [sent] = [e for e in _events(appeal, "applicant_notified") if e.data and e.data["template"] == "resolved"]
        assert sent.data == {"template": "resolved", "channel": "sms"}
        assert sent.text is not None and "Проблема решена?" not in sent.text  # an SMS cannot be answered
        sms = db.session.query(OutboxMessage).filter_by(channel="sms").all()
        assert sms and all(m.address == "+79001234567" for m in sms)
        assert db.session.query(HumanTask).filter_by(appeal_id=appeal.id, name="call_back").count() == 0
        db.session.remove()


def test_an_applicant_no_channel_reaches_is_told_nothing_and_the_history_says_so(app: Flask, city: City) -> None:
    appeal = _phone_call(city, phone=None)
    _resolve(city, appeal)
    assert _events(appeal, "applicant_notified") == [] and _events(appeal, "callback_due") == []
    [nobody] = _events(appeal, "applicant_not_notified")
    assert nobody.data == {"template": "resolved", "channel": "phone"}
