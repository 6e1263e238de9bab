"""A representative's «Нет» is stored even when the appeal it makes fails to start or turns out a duplicate.

register_appeal runs inside the inbound handler's transaction: what it takes back on its own failure paths
must be its own writes only, never the feedback row the handler wrote before calling it.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import callback, register, representative
from workflows.appeals import intake
from workflows.appeals.models import Appeal
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import OutboxMessage, receive_update
from workflows.outages import service
from workflows.outages.models import Outage, OutageFeedback, Representative
from workflows.runtime.models import ProcessInstance
from workflows.runtime.operations import ServiceCall
from workflows.services import services_of


def _unavailable(call: ServiceCall) -> Any:
    raise RuntimeError("сервис уведомлений недоступен")


def _restored(city: City, clock: FakeClock, chat: int) -> tuple[Outage, Representative, int]:
    """An outage restored with one representative asked; the id of the notice that asked them."""
    rep = representative(city.sovetskaya_45, chat)
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=1))
    service.restore_outage(outage.id, {}, None)
    notice_id = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.notice_key == f"outage:{outage.id}:restored", OutboxMessage.recipient_key == f"rep:{rep.id}"))
    assert notice_id is not None
    return outage, rep, notice_id


def _stored_feedback(outage_id: int, rep_id: int) -> OutageFeedback:
    db.session.remove()  # read what was committed, not what the session still holds
    return db.session.scalars(select(OutageFeedback).where(OutageFeedback.outage_id == outage_id,
                                                           OutageFeedback.representative_id == rep_id)).one()


def test_a_no_whose_appeal_fails_to_start_still_stores_the_feedback(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    outage, rep, notice_id = _restored(city, clock, 6201)
    services_of(app).operations = {**services_of(app).operations, "appeal_assigned": _unavailable}

    receive_update("telegram", callback(6201, f"outage_no:{notice_id}"))

    feedback = _stored_feedback(outage.id, rep.id)
    assert feedback.answer == "no" and feedback.appeal_id is not None
    appeal = db.session.get(Appeal, feedback.appeal_id)
    assert appeal is not None and appeal.status == "manual"  # kept for manual handling
    instance = db.session.get(ProcessInstance, appeal.instance_id)
    assert instance is not None and instance.status == "error"
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1


def test_a_no_racing_a_duplicate_appeal_still_stores_the_feedback(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> None:
    outage, rep, notice_id = _restored(city, clock, 6202)
    external_id = f"outage:{outage.id}:rep:{rep.id}:no"
    first_id = intake.register_appeal({"text": "Воды нет", "channel": "telegram", "building_id": city.sovetskaya_45.id,
                                    "category": "cold_water", "external_id": external_id}).appeal.id
    db.session.commit()
    # The other registration commits while ours is between its look-up and its insert.
    real_existing, looked = intake._existing, []

    def not_yet(channel: str, external: str | None) -> Appeal | None:
        looked.append(external)
        return None if len(looked) == 1 else real_existing(channel, external)

    monkeypatch.setattr(intake, "_existing", not_yet)

    receive_update("telegram", callback(6202, f"outage_no:{notice_id}"))

    assert looked == [external_id, external_id]  # the insert hit the unique key and the second look found it
    feedback = _stored_feedback(outage.id, rep.id)
    assert feedback.answer == "no" and feedback.appeal_id == first_id
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1
