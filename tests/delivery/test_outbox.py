"""The outbox: written in the caller's transaction, sent once it commits, idempotent, quiet at night."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import ACK_BUTTON, SENT, OutboxMessage, delivery_stats, enqueue
from workflows.delivery.sending import deliver


def _rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_committed_message_is_sent_at_once_with_its_buttons(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    row = enqueue("outage:1:start", "rep:7", "telegram", "7001", "Отключение холодной воды", buttons=[ACK_BUTTON])
    db.session.commit()
    [message] = fake_telegram.messages_to(7001)
    assert message.text == "Отключение холодной воды"
    assert [tuple(b) for b in message.buttons] == [("Передал жителям", f"ack:{row.id}")]
    sent = db.session.get(OutboxMessage, row.id)
    assert sent is not None and sent.state == SENT and sent.message_id == message.message_id and sent.attempts == 1


def test_rollback_leaves_no_outbox_row_and_sends_nothing(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    enqueue("outage:1:start", "rep:7", "telegram", "7001", "Отключение")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    db.session.commit()  # a later commit must not send what was rolled back
    assert fake_telegram.all_messages() == []


def test_enqueueing_the_same_notice_twice_is_a_no_op(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    first = enqueue("outage:1:start", "rep:7", "telegram", "7001", "Отключение")
    again = enqueue("outage:1:start", "rep:7", "telegram", "7001", "Отключение")
    db.session.commit()
    later = enqueue("outage:1:start", "rep:7", "telegram", "7001", "Отключение")
    db.session.commit()
    assert first.id == again.id == later.id
    assert len(_rows()) == 1
    assert len(fake_telegram.messages_to(7001)) == 1


def test_quiet_hours_defer_a_non_urgent_message_until_eight_local(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    clock.set(datetime(2026, 11, 2, 20, 30, tzinfo=UTC))  # 23:30 in Moscow
    row = enqueue("outage:2:planned", "rep:7", "telegram", "7001", "Плановое отключение завтра")
    db.session.commit()
    assert fake_telegram.all_messages() == []
    eight_local = datetime(2026, 11, 3, 5, 0, tzinfo=UTC)
    assert db.session.get(OutboxMessage, row.id).next_attempt_at == eight_local  # type: ignore[union-attr]
    clock.set(eight_local - timedelta(minutes=1))
    assert deliver(row.id) == "skipped"
    clock.set(eight_local)
    outcome = deliver(row.id)
    assert outcome == "sent", db.session.get(OutboxMessage, row.id).last_error  # type: ignore[union-attr]
    assert len(fake_telegram.messages_to(7001)) == 1


def test_quiet_hours_do_not_hold_back_an_urgent_message(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    clock.set(datetime(2026, 11, 2, 20, 30, tzinfo=UTC))
    enqueue("outage:3:emergency", "rep:7", "telegram", "7001", "Авария: нет воды", urgent=True)
    db.session.commit()
    assert len(fake_telegram.messages_to(7001)) == 1


def test_a_message_that_became_due_in_quiet_hours_waits_for_morning(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail("server_error", chat=7001, times=1)
    clock.set(datetime(2026, 11, 2, 18, 59, 59, tzinfo=UTC))  # 21:59:59 local
    row = enqueue("outage:4:planned", "rep:7", "telegram", "7001", "Плановое отключение")
    db.session.commit()
    clock.advance(timedelta(minutes=5))  # the retry comes due at 22:04
    assert deliver(row.id) == "deferred"
    assert fake_telegram.all_messages() == []


@pytest.mark.parametrize("acknowledged", [0, 1])
def test_delivery_stats_count_states_and_acknowledgements(
        wired_app: Flask, fake_telegram: FakeTelegram, acknowledged: int) -> None:
    fake_telegram.fail("blocked", chat=7002)
    for chat in (7001, 7002, 7003):
        enqueue("outage:5:start", f"rep:{chat}", "telegram", str(chat), "Отключение", group="outage:5")
    enqueue("outage:6:start", "rep:1", "telegram", "7009", "Другое", group="outage:6")
    db.session.commit()
    if acknowledged:
        from workflows.delivery import acknowledge

        acknowledge(_rows()[0].id)
        db.session.commit()
    assert delivery_stats("outage:5") == {"total": 3, "sent": 2, "failed": 1, "pending": 0,
                                          "acknowledged": acknowledged}
    assert delivery_stats("outage:none") == {"total": 0, "sent": 0, "failed": 0, "pending": 0, "acknowledged": 0}
