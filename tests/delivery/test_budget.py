"""Retries that end: every wait counts toward a per-row budget; when it is spent the fallback takes over."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select

from tests.delivery.helpers import fake_settings
from tests.fakes import faults
from tests.fakes.sms_gateway import FakeSmsGateway
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.vk_api import FakeVk
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import FAILED, PENDING, SENT, OutboxMessage, enqueue, history
from workflows.delivery.budget import spent
from workflows.delivery.models import RateSlot
from workflows.delivery.sending import deliver
from workflows.delivery.settings import DeliverySettings


@pytest.fixture
def app_config(fake_vk: FakeVk, fake_sms: FakeSmsGateway, fake_telegram: FakeTelegram) -> dict[str, Any]:
    return {**fake_settings(fake_vk, "vk"), **fake_settings(fake_telegram),
            "SMS_API_URL": fake_sms.url, "SMS_API_KEY": fake_sms.api_key, "SMS_TIMEOUT": 5}


@pytest.fixture
def app(db_app: Flask) -> Flask:
    return db_app


@pytest.fixture
def clock(db_clock: FakeClock) -> FakeClock:
    return db_clock


def _row(notice: str) -> OutboxMessage:
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.notice_key == notice))
    assert row is not None
    db.session.refresh(row)
    return row


def _run_until_settled(notice: str, clock: FakeClock, limit: int = 40) -> int:
    """Deliver the row at each due time (rate slots are real time: forgotten between tries); returns tries."""
    tries = 0
    while _row(notice).state == PENDING and tries < limit:
        db.session.execute(delete(RateSlot))
        db.session.commit()
        clock.set(_row(notice).next_attempt_at)
        deliver(_row(notice).id)
        tries += 1
    return tries


def test_a_persistent_vk_limit_ends_in_the_fallback_within_the_budget(
        app: Flask, clock: FakeClock, fake_vk: FakeVk, fake_sms: FakeSmsGateway) -> None:
    fake_vk.fail(faults.ERROR, code=29)  # "Rate limit reached", for ever
    started = clock.now()
    enqueue("outage:5:restored", "rep:7", "vk", "2000000001", "Подачу воды восстановили", urgent=True,
            fallbacks=[("sms", "+79001234567")])
    db.session.commit()  # the first try happens at once (immediate queue)

    _run_until_settled("outage:5:restored", clock)

    row = _row("outage:5:restored")
    assert (row.state, row.channel, row.address) == (SENT, "sms", "+79001234567")
    assert fake_vk.calls("messages.send") == 7  # at 0, 1, 2, ... 6 h; the 7th would wait past 6 h
    assert clock.now() - started == timedelta(hours=6)
    assert [m.text for m in fake_sms.messages_to("79001234567")] == ["Подачу воды восстановили"]
    [entry] = history(outbox_id=row.id)
    assert entry.kind == "failover"
    assert entry.text.startswith("Не удалось доставить через ВКонтакте: 7 попыток за 6 ч (последний ответ: VK error 29")
    assert entry.text.endswith("; отправляем через SMS.")
    assert entry.data["attempts"] == 7 and entry.data["next_channel"] == "sms"
    assert entry.recipient_key == "rep:7"


def test_retry_after_counts_toward_the_attempts(app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    app.config["DELIVERY_MAX_ATTEMPTS"] = 3
    fake_telegram.fail(faults.RATE_LIMIT, chat=7001, retry_after=2)  # every try is told to wait
    enqueue("n", "r", "telegram", "7001", "Текст", urgent=True)
    db.session.commit()

    _run_until_settled("n", clock)

    row = _row("n")
    assert (row.state, row.attempts) == (FAILED, 3)
    assert fake_telegram.count_429 == 3
    [entry] = history(outbox_id=row.id)
    assert entry.kind == "failed"
    assert "3 попытки" in entry.text
    assert entry.text.endswith("других каналов у получателя нет, уведомление не доставлено.")


def test_the_budget_counts_attempts_and_the_time_to_the_next_try() -> None:
    settings = DeliverySettings(max_attempts=5, max_elapsed=600.0)
    now = FakeClock().now()
    assert spent(4, now - timedelta(seconds=300), now, 300.0, settings) is None  # due exactly at the limit
    over_time = spent(4, now - timedelta(seconds=300), now, 301.0, settings)
    assert over_time is not None and (over_time.attempts, over_time.elapsed) == (4, 300.0)
    assert spent(5, now, now, 1.0, settings) is not None  # the fifth failed try is the last
    assert spent(1, None, now, 600.0, settings) is None  # the first try starts the clock


def test_a_notice_to_an_applicant_that_fails_shows_in_the_appeals_history(
        app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    from tests.appeals.city import build_city
    from tests.registering import register_appeal
    from workflows.appeals.models import AppealEvent

    city = build_city()
    appeal = register_appeal({"text": "Течёт крыша", "channel": "telegram", "building_id": city.sovetskaya_45.id,
                              "category": "roof", "applicant": {"channel": "telegram", "chat_id": "7002"}}).appeal
    db.session.commit()
    app.config["DELIVERY_MAX_ATTEMPTS"] = 2
    fake_telegram.fail(faults.SERVER_ERROR, chat=7002, status=502)
    enqueue(f"appeal:{appeal.id}:accepted:x1", "resident:telegram:7002", "telegram", "7002", "Принято", urgent=True)
    db.session.commit()

    _run_until_settled(f"appeal:{appeal.id}:accepted:x1", clock)

    [event] = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal.id,
                                                           AppealEvent.kind == "delivery_failed")).all()
    assert event.text is not None and event.text.startswith("Не удалось доставить через Telegram: 2 попытки за ")


def test_waiting_for_a_paused_channel_is_spent_from_the_budget_too(
        app: Flask, clock: FakeClock, fake_telegram: FakeTelegram, fake_sms: FakeSmsGateway) -> None:
    from workflows.delivery.connections import limiter

    app.config["DELIVERY_MAX_ELAPSED_SECONDS"] = 600
    fake_telegram.fail(faults.SERVER_ERROR, chat=7003, times=1, status=502)
    enqueue("n3", "rep:9", "telegram", "7003", "Отключение", urgent=True, fallbacks=[("sms", "89001112233")])
    db.session.commit()  # the first try fails: the budget starts
    assert _row("n3").attempts == 1
    due = _row("n3").next_attempt_at
    db.session.execute(delete(RateSlot).where(RateSlot.key == "telegram:chat:7003"))  # the chat's own second
    db.session.commit()  # (and the limiter writes on its own connection: SQLite has one writer)
    limiter().pause("channel:telegram", 3600)  # the channel was told to wait an hour
    clock.set(due)

    assert deliver(_row("n3").id) == "failed"  # no attempt made: the wait alone would pass the budget

    row = _row("n3")
    assert (row.state, row.channel) == (SENT, "sms")
    assert [m.text for m in fake_sms.messages_to("79001112233")] == ["Отключение"]
    [entry] = history(outbox_id=row.id)
    assert entry.kind == "failover" and entry.text.startswith("Не удалось доставить через Telegram: 1 попытку за ")
    assert fake_telegram.messages_to(7003) == []
