"""Inbound updates: checked webhooks, stored once, handled once through the handler table."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from connectors.inbound import InboundEvent
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.db import db
from workflows.delivery import ACK_BUTTON, OutboxMessage, delivery_stats, enqueue, register_inbound_handler
from workflows.delivery.models import InboundUpdate, PollCursor

TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": "tg-secret"}


def _callback(update_id: int, chat: int, data: str) -> dict[str, Any]:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": {"id": chat, "is_bot": False, "first_name": "Жилец"}, "data": data,
        "chat_instance": "1", "message": {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"}}}}


def _count_updates() -> int:
    return int(db.session.scalar(select(func.count()).select_from(InboundUpdate)) or 0)


def test_redelivered_webhook_update_is_handled_once(wired_app: Flask) -> None:
    calls: list[tuple[str, str]] = []

    def record(event: InboundEvent, argument: str) -> str:
        calls.append((event.chat_id, argument))
        return "Принято"

    register_inbound_handler(wired_app, "resolved", record)
    client = wired_app.test_client()
    for _ in range(3):  # Telegram redelivers when it did not see our 200 in time
        answer = client.post("/webhooks/telegram", json=_callback(501, 42, "resolved:77"), headers=TG_HEADERS)
        assert answer.status_code == 200
    assert calls == [("42", "77")]
    assert _count_updates() == 1


def test_webhook_with_a_wrong_secret_is_refused(wired_app: Flask) -> None:
    client = wired_app.test_client()
    wrong = client.post("/webhooks/telegram", json=_callback(1, 42, "ack:1"),
                        headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
    missing = client.post("/webhooks/telegram", json=_callback(1, 42, "ack:1"))
    assert (wrong.status_code, missing.status_code) == (403, 403)
    assert _count_updates() == 0


def test_webhook_is_off_without_a_secret(wired_app: Flask) -> None:
    wired_app.config["TELEGRAM_WEBHOOK_SECRET"] = None
    answer = wired_app.test_client().post("/webhooks/telegram", json=_callback(1, 42, "ack:1"), headers=TG_HEADERS)
    assert answer.status_code == 404


def test_webhook_needs_no_csrf_token_and_rejects_non_json(wired_app: Flask) -> None:
    wired_app.config["WTF_CSRF_ENABLED"] = True
    client = wired_app.test_client()
    assert client.post("/webhooks/telegram", json=_callback(9, 42, "x:1"), headers=TG_HEADERS).status_code == 200
    bad = client.post("/webhooks/telegram", data="not json", headers=TG_HEADERS)
    assert bad.status_code == 422 and bad.get_json()["error"] == "validation_failed"


def test_ack_button_acknowledges_the_notice(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    row = enqueue("outage:9:start", "rep:1", "telegram", "7001", "Отключение", buttons=[ACK_BUTTON],
                  group="outage:9", urgent=True)
    db.session.commit()
    [message] = fake_telegram.messages_to(7001)
    payload = message.buttons[0].payload
    client = wired_app.test_client()
    stranger = client.post("/webhooks/telegram", json=_callback(600, 7002, payload), headers=TG_HEADERS)
    assert stranger.status_code == 200 and delivery_stats("outage:9")["acknowledged"] == 0
    client.post("/webhooks/telegram", json=_callback(601, 7001, payload), headers=TG_HEADERS)
    assert delivery_stats("outage:9")["acknowledged"] == 1
    assert db.session.get(OutboxMessage, row.id).acknowledged_at is not None  # type: ignore[union-attr]
    assert [c["text"] for c in fake_telegram.answered_callbacks] == [
        "Это уведомление не найдено.", "Спасибо! Отметили, что вы передали сообщение жителям."]


def test_max_webhook_acknowledges_through_the_same_table(wired_app: Flask, fake_max: FakeMax) -> None:
    row = enqueue("outage:9:start", "rep:2", "max", "user:9001", "Отключение", buttons=[ACK_BUTTON],
                  group="outage:9", urgent=True)
    db.session.commit()
    update = fake_max.push_callback(9001, f"ack:{row.id}")
    client = wired_app.test_client()
    assert client.post("/webhooks/max", json=update).status_code == 403
    for _ in range(2):
        answer = client.post("/webhooks/max", json=update, headers={"X-Max-Bot-Api-Secret": "max-secret"})
        assert answer.status_code == 200
    assert delivery_stats("outage:9")["acknowledged"] == 1
    assert len(fake_max.answered_callbacks) == 1


def test_bot_poll_once_stores_updates_and_saves_the_offset(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    calls: list[str] = []
    register_inbound_handler(wired_app, "@message", lambda event, argument: calls.append(argument))
    fake_telegram.push_message(42, "Нет воды в доме")
    fake_telegram.push_message(43, "И у нас")
    runner = wired_app.test_cli_runner()
    assert runner.invoke(args=["bot", "poll", "--once"]).exit_code == 0
    assert runner.invoke(args=["bot", "poll", "--once"]).exit_code == 0
    assert sorted(calls) == ["И у нас", "Нет воды в доме"]
    assert _count_updates() == 2
    cursor = db.session.get(PollCursor, "telegram")
    assert cursor is not None and cursor.cursor == 3


def test_max_poll_once_uses_the_marker(wired_app: Flask, fake_max: FakeMax) -> None:
    fake_max.push_message(9001, "Когда дадут воду?")
    runner = wired_app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["bot", "poll", "--channel", "max", "--once"]).exit_code == 0
    assert _count_updates() == 1
