"""A VK representative answers the restoration notice through the Callback API: «Нет» becomes an appeal."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.fakes.vk_api import FakeVk
from tests.fakes.vk_callback import FakeVkCallbacks
from tests.outages.helpers import GrantAll, register, representative
from workflows.appeals.models import Appeal
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import OutboxMessage
from workflows.delivery.models import InboundUpdate
from workflows.outages import service
from workflows.outages.models import OutageFeedback
from workflows.services import services_of


@pytest.fixture
def vk_app(tmp_path: Path, fake_vk: FakeVk) -> Iterator[Flask]:
    app = make_app(tmp_path, VK_API_URL=fake_vk.url, VK_TOKEN=fake_vk.token, VK_TIMEOUT=5, VK_RATE=1000,
                   VK_CALLBACK_SECRET="vk-secret", VK_CONFIRMATION_CODE="a1b2c3d4", VK_GROUP_ID="777")
    services_of(app).limiter = GrantAll()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def city(vk_app: Flask) -> City:
    return build_city()


def test_a_vk_representatives_no_becomes_an_appeal_and_each_press_is_answered(
        vk_app: Flask, city: City, fake_vk: FakeVk) -> None:
    clock: FakeClock = services_of(vk_app).clock
    callbacks = FakeVkCallbacks(vk_app.test_client().post, fake_vk)
    rep = representative(city.sovetskaya_45, 501, channel="vk")
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    clock.advance(timedelta(hours=1))
    service.restore_outage(outage.id, {}, None)

    [notice] = [m for m in fake_vk.messages_to(501) if m.text.startswith("Подача")]
    no_payload = next(b.payload for b in notice.buttons if b.text == "Нет")
    assert callbacks.press(501, no_payload, event_id="evt-no-1") == (200, "ok")
    assert callbacks.press(501, no_payload, event_id="evt-no-1") == (200, "ok")  # VK resends: handled once

    feedback = db.session.scalar(select(OutageFeedback).where(OutageFeedback.representative_id == rep.id))
    assert feedback is not None and feedback.answer == "no"
    appeal = db.session.get(Appeal, feedback.appeal_id)
    assert appeal is not None and (appeal.channel, appeal.category, appeal.emergency) == ("vk", "cold_water", True)
    assert appeal.incident is not None and appeal.incident.outage_id == outage.id
    assert db.session.scalar(select(InboundUpdate.id).where(InboundUpdate.update_id == "message_event:evt-no-1"))
    [answer] = fake_vk.event_answers  # the repeat was not handled, so not answered twice
    assert answer["event_data"] == {"type": "show_snackbar",
                                    "text": "Спасибо! Зарегистрировали обращение, ресурсоснабжающая организация "
                                            "его получила."[:90]}


def test_the_acknowledgement_button_works_in_vk_too(vk_app: Flask, city: City, fake_vk: FakeVk) -> None:
    clock: FakeClock = services_of(vk_app).clock
    callbacks = FakeVkCallbacks(vk_app.test_client().post, fake_vk)
    representative(city.sovetskaya_45, 502, channel="vk")
    register(city.water, [city.sovetskaya_45], clock.now(), 2)
    [notice] = fake_vk.messages_to(502)
    ack = next(b.payload for b in notice.buttons if b.text == "Передал жителям")

    callbacks.press(502, ack)
    callbacks.press(503, ack)  # someone else's press of a forwarded notice: not theirs

    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.address == "502"))
    assert row is not None and row.acknowledged_at is not None
    assert [a["event_data"]["text"] for a in fake_vk.event_answers] == [
        "Спасибо! Отметили, что вы передали сообщение жителям.", "Это уведомление не найдено."]


def test_a_vk_invitation_link_enrols_through_the_callback_api(vk_app: Flask, city: City, fake_vk: FakeVk) -> None:
    from workflows.outages import representatives as reps
    from workflows.outages.models import Representative

    links = reps.invitation_links(reps.invitation(city.sovetskaya_45.id).token)
    token = links["vk"].split("ref=")[1]
    assert links["vk"].startswith("https://vk.me/club777?ref=")
    callbacks = FakeVkCallbacks(vk_app.test_client().post, fake_vk)

    callbacks.message(504, "Начать", ref=token)
    [offer] = fake_vk.messages_to(504)
    assert offer.text.startswith("Дом: ул. Советская, д. 45.") and [b.text for b in offer.buttons] == ["Согласен"]
    callbacks.press(504, offer.buttons[0].payload)

    rep = db.session.scalar(select(Representative).where(Representative.channel == "vk"))
    assert rep is not None and (rep.address, rep.active, rep.building_id) == ("504", True, city.sovetskaya_45.id)
