"""A resident reports a problem in VK through the Callback API: the same conversation as in Telegram and MAX."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes.recorder import RecordedMessage
from tests.fakes.vk_api import FakeVk
from tests.fakes.vk_callback import FakeVkCallbacks
from tests.residents.chat import _settle, drain, payloads
from tests.residents.test_conversation import _appeal, _resolve
from workflows.db import db


@pytest.fixture
def vk_app(tmp_path: Path, fake_vk: FakeVk) -> Iterator[Flask]:
    fake_vk.enforce_limits = False  # the test forgets our rate slots between steps (fake clock)
    app = make_app(tmp_path, **fake_settings(fake_vk, "vk"), VK_CALLBACK_SECRET="vk-secret",
                   VK_CONFIRMATION_CODE="a1b2c3d4")
    with app.app_context():
        yield app
        db.session.remove()


class VkChat:
    def __init__(self, app: Flask, fake: FakeVk, peer_id: int) -> None:
        self.callbacks, self.fake, self.peer_id = FakeVkCallbacks(app.test_client().post, fake), fake, peer_id
        self.seen = 0

    def _after(self, answer: tuple[int, str]) -> list[RecordedMessage]:
        assert answer == (200, "ok")
        drain()
        messages = self.fake.messages_to(self.peer_id)
        fresh, self.seen = messages[self.seen:], len(messages)
        return fresh

    def say(self, text: str) -> list[RecordedMessage]:
        _settle()
        return self._after(self.callbacks.message(self.peer_id, text))

    def press(self, payload: str) -> list[RecordedMessage]:
        _settle()
        return self._after(self.callbacks.press(self.peer_id, payload))


def test_a_vk_resident_registers_an_appeal_and_confirms_the_resolution(
        vk_app: Flask, fake_vk: FakeVk) -> None:
    city: City = build_city()
    s45, uk1 = city.sovetskaya_45.id, city.uk1.id
    chat = VkChat(vk_app, fake_vk, 501)
    assert "адрес" in chat.say("/start")[0].text
    assert f"bot:b:{s45}" in payloads(chat.say("Советская 45"))
    assert "bot:c:roof" in payloads(chat.press(f"bot:b:{s45}"))
    chat.press("bot:c:roof")
    assert payloads(chat.say("Течёт крыша над кухней")) == ["bot:nophoto"]
    ask_phone = chat.press("bot:nophoto")
    contact = next(b for b in ask_phone[0].buttons if "номер" in b.text.lower() or b.payload == "")
    assert contact.payload == ""  # VK cannot share a number: a plain text button, not a callback
    assert "Отправить?" in chat.press("bot:nophone")[0].text
    chat.press("bot:send")
    appeal = _appeal("vk")
    assert (appeal.category, appeal.building_id, appeal.applicant_chat_id) == ("roof", s45, "501")
    appeal_id = appeal.id
    _resolve(vk_app, uk1, appeal_id)
    drain()
    notice = fake_vk.messages_to(501)[-1]
    chat.seen = len(fake_vk.messages_to(501))
    assert f"confirm:{appeal_id}:fixed" in payloads([notice])
    assert "закрыто" in chat.press(f"confirm:{appeal_id}:fixed")[0].text
    assert _appeal("vk").status == "closed"
    assert len(fake_vk.event_answers) == 6  # every press answered
