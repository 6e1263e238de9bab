"""Driving a conversation: updates in (Telegram webhook, MAX long polling), messages and buttons out."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from tests.fakes.max_api import FakeMax
from tests.fakes.recorder import RecordedMessage
from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import PENDING, OutboxMessage, poll
from workflows.delivery.models import RateSlot
from workflows.delivery.sweep import sweep_outbox
from workflows.services import services


def _settle() -> None:
    """Release the test's session (SQLite write lock) and forget real-time rate slots (fake clock)."""
    db.session.execute(delete(RateSlot))
    db.session.commit()
    db.session.remove()


def drain() -> None:
    """Send what waited for a chat's rate slot: move the fake clock on and sweep the outbox."""
    clock: FakeClock = services().clock
    for _ in range(5):
        _settle()
        if not db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.state == PENDING).limit(1)):
            break
        clock.advance(timedelta(seconds=3))
        sweep_outbox(startup=True)
    db.session.remove()


class TelegramChat:
    def __init__(self, app: Flask, fake: FakeTelegram, chat_id: int) -> None:
        self.client, self.fake, self.chat_id = app.test_client(), fake, chat_id
        self.seen = 0

    def _send(self, update: dict[str, Any]) -> list[RecordedMessage]:
        _settle()
        answer = self.client.post("/webhooks/telegram", json=update,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secret"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        drain()
        return self.new_messages()

    def new_messages(self) -> list[RecordedMessage]:
        messages = self.fake.messages_to(self.chat_id)
        fresh, self.seen = messages[self.seen:], len(messages)
        return fresh

    def say(self, text: str) -> list[RecordedMessage]:
        return self._send(self.fake.push_message(self.chat_id, text))

    def press(self, payload: str) -> list[RecordedMessage]:
        return self._send(self.fake.push_callback(self.chat_id, payload))

    def share_phone(self, phone: str) -> list[RecordedMessage]:
        return self._send(self.fake.push_contact(self.chat_id, phone))

    def photo(self, file_id: str) -> list[RecordedMessage]:
        message = self.fake.push_message(self.chat_id, "")["message"]
        message.pop("text", None)
        message["photo"] = [{"file_id": f"{file_id}-small", "width": 90}, {"file_id": file_id, "width": 1280}]
        return self._send({"update_id": 10_000 + self.seen, "message": message})


class MaxChat:
    def __init__(self, fake: FakeMax, user_id: int) -> None:
        self.fake, self.user_id = fake, user_id
        self.address = str(-(user_id + 10**9))  # the fake's dialog chat id for this user
        self.seen = 0

    def _poll(self) -> list[RecordedMessage]:
        _settle()
        poll("max", once=True)
        drain()
        messages = self.fake.messages_to(self.address)
        fresh, self.seen = messages[self.seen:], len(messages)
        return fresh

    def start(self) -> list[RecordedMessage]:
        self.fake.push_update({"update_type": "bot_started", "chat_id": int(self.address),
                               "user": {"user_id": self.user_id, "name": "Жилец"}})
        return self._poll()

    def say(self, text: str) -> list[RecordedMessage]:
        self.fake.push_message(self.user_id, text)
        return self._poll()

    def press(self, payload: str) -> list[RecordedMessage]:
        self.fake.push_callback(self.user_id, payload)
        return self._poll()


def payloads(messages: list[RecordedMessage]) -> list[str]:
    return [b.payload for m in messages for b in m.buttons]
