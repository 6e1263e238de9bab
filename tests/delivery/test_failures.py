"""Messenger errors: wait as told, back off on temporary trouble, fall back when unreachable."""
from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, select

from tests.delivery.helpers import InProcessWorker, enqueue_fan_out, fresh_stats, wait_until
from tests.fakes import faults
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import (
    FAILED,
    PENDING,
    SENT,
    OutboxMessage,
    UnreachableEvent,
    delivery_stats,
    enqueue,
    register_unreachable_hook,
    unreachable_addresses,
)
from workflows.delivery.models import RateSlot
from workflows.delivery.sending import deliver


def _row(notice: str) -> OutboxMessage:
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.notice_key == notice))
    assert row is not None
    db.session.refresh(row)
    return row


def _forget_rate_slots() -> None:
    """Rate slots are real time; tests on the fake clock must not sit through them."""
    db.session.execute(delete(RateSlot))
    db.session.commit()


def test_429_storm_is_waited_out_as_told(live_app: Flask, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail(faults.RATE_LIMIT, times=5, retry_after=2)
    chats = list(range(5001, 5021))
    with InProcessWorker(live_app, threads=4):
        committed = time.monotonic()
        enqueue_fan_out("storm", chats)
        assert wait_until(lambda: len(fake_telegram.all_messages()) >= len(chats), timeout=30)
    messages = fake_telegram.all_messages()
    assert sorted(int(m.chat) for m in messages) == chats  # everyone once, nobody twice
    assert min(m.time for m in messages) - committed >= 2.0  # nothing went out before retry_after passed
    assert fake_telegram.count_429 == 5  # only the storm we ordered: none provoked by us
    assert fresh_stats("storm")["sent"] == len(chats)


def test_retry_after_sets_the_next_attempt_exactly(wired_app: Flask, clock: FakeClock,
                                                   fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail(faults.RATE_LIMIT, chat=7001, times=1, retry_after=7)
    enqueue("n", "r", "telegram", "7001", "Текст", urgent=True)
    db.session.commit()
    row = _row("n")
    assert (row.state, row.attempts) == (PENDING, 1)
    assert row.next_attempt_at == clock.now() + timedelta(seconds=7)
    clock.advance(timedelta(seconds=7))
    assert deliver(row.id) == "deferred"  # the channel itself still waits out the 7 real seconds
    _forget_rate_slots()  # ...which this test does not sit through
    clock.set(_row("n").next_attempt_at)
    assert deliver(row.id) == "sent"


def test_temporary_failure_backs_off_exponentially_with_jitter(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail(faults.SERVER_ERROR, chat=7001, times=3, status=502)
    enqueue("n", "r", "telegram", "7001", "Текст", urgent=True)
    db.session.commit()
    waits = []
    for _ in range(3):
        row = _row("n")
        waits.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.set(row.next_attempt_at)
        _forget_rate_slots()
        deliver(row.id)
    assert 1.0 <= waits[0] <= 2.0 and 2.0 <= waits[1] <= 4.0 and 4.0 <= waits[2] <= 8.0
    assert _row("n").state == SENT and _row("n").attempts == 4
    assert len(fake_telegram.messages_to(7001)) == 1


def test_blocked_user_is_marked_unreachable_and_the_fallback_is_used(
        wired_app: Flask, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    seen: list[UnreachableEvent] = []
    register_unreachable_hook(wired_app, "test", seen.append)
    fake_telegram.fail(faults.BLOCKED, chat=7001)
    enqueue("outage:1", "rep:3", "telegram", "7001", "Отключение", fallbacks=[("max", "user:9001")],
            organization_id=12, urgent=True)
    db.session.commit()
    assert fake_telegram.all_messages() == []
    assert [m.text for m in fake_max.messages_to(9001)] == ["Отключение"]
    row = _row("outage:1")
    assert (row.state, row.channel, row.address) == (SENT, "max", "user:9001")
    [dead] = unreachable_addresses(organization_id=12)
    assert (dead.channel, dead.address, dead.recipient_key) == ("telegram", "7001", "rep:3")
    assert [(e.recipient_key, e.channel, e.organization_id) for e in seen] == [("rep:3", "telegram", 12)]


def test_unreachable_without_fallback_fails_for_good(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail(faults.NOT_FOUND, chat=7001)
    enqueue("n", "rep:3", "telegram", "7001", "Текст", urgent=True, group="g")
    db.session.commit()
    row = _row("n")
    assert row.state == FAILED and "chat not found" in (row.last_error or "").lower()
    assert delivery_stats("g")["failed"] == 1
    assert [a.address for a in unreachable_addresses()] == ["7001"]


def test_a_rejected_message_does_not_mark_the_recipient(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    from connectors import Button

    enqueue("n", "rep:3", "telegram", "7001", "Текст", buttons=[Button("x", "y" * 80)], urgent=True)
    db.session.commit()
    assert _row("n").state == FAILED
    assert unreachable_addresses() == []
