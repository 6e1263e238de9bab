"""Lanes: per-channel senders in the worker claim in batches; one lane's backlog never holds up another."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import make_app
from tests.delivery.helpers import InProcessWorker, enqueue_fan_out, fake_settings, fresh_stats, wait_until
from tests.delivery.workers import RATE, sending_now
from tests.fakes.faults import RATE_LIMIT
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import SystemClock
from workflows.db import db
from workflows.delivery import enqueue
from workflows.delivery.lanes import BULK, DIRECT, URGENT, claim_batch, lane_of
from workflows.delivery.senders import start_senders, stop_senders
from workflows.services import services_of

BULK_SIZE = 120


@pytest.fixture
def senders(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> Iterator[Flask]:
    """A live app (real queue, system clock) with this process acting as its worker: channel senders and one
    queue thread.  25/s, the contract's default, as the worker tests use (28/s leaves the fake's 30/s no room
    for a busy machine's jitter)."""
    app = make_app(tmp_path, QUEUE_IMMEDIATE=False, DELIVERY_QUIET_HOURS="off",
                   **fake_settings(fake_telegram, rate=RATE), **fake_settings(fake_max, "max", rate=RATE))
    services_of(app).clock = SystemClock()
    with app.app_context():
        start_senders(app)
        try:
            with InProcessWorker(app, threads=1):
                yield app
        finally:
            stop_senders(app)
            db.session.remove()


def _position(fake: FakeTelegram | FakeMax, chat: str) -> int | None:
    chats = [m.chat for m in fake.all_messages()]
    return chats.index(chat) if chat in chats else None


def test_a_lane_is_picked_by_grouping_and_urgency() -> None:
    assert lane_of(None, False) == DIRECT and lane_of(None, True) == DIRECT
    assert lane_of("outage:1", True) == URGENT and lane_of("outage:1", False) == BULK


def test_claim_batch_takes_one_lanes_due_rows_once_up_to_the_limit(live_app: Flask) -> None:
    enqueue_fan_out("planned", [7001, 7002, 7003, 7004, 7005], urgent=False, group="outage:planned")
    enqueue_fan_out("emergency", [7101, 7102], urgent=True, group="outage:emergency")
    enqueue("reply", "chat:7201", "telegram", "7201", "Ответ по обращению")
    enqueue("reply", "chat:7202", "max", "user:7202", "Ответ по обращению")
    db.session.commit()
    first = claim_batch("telegram", BULK, 3, lease_seconds=60)
    second = claim_batch("telegram", BULK, 3, lease_seconds=60)
    assert [c.address for c in first] == ["7001", "7002", "7003"] and [c.address for c in second] == ["7004", "7005"]
    assert claim_batch("telegram", BULK, 3, lease_seconds=60) == []  # all held now
    assert sorted(c.address for c in claim_batch("telegram", URGENT, 10, lease_seconds=60)) == ["7101", "7102"]
    assert [c.address for c in claim_batch("telegram", DIRECT, 10, lease_seconds=60)] == ["7201"]
    assert [c.address for c in claim_batch("max", None, 10, lease_seconds=60)] == ["user:7202"]


def test_a_reply_and_an_emergency_on_another_channel_pass_a_long_planned_notice(
        senders: Flask, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    chats = list(range(400_001, 400_001 + BULK_SIZE))
    enqueue_fan_out("planned", chats, urgent=False, group="outage:planned")
    assert wait_until(lambda: len(fake_telegram.all_messages()) >= 10, timeout=30)
    sent_before = len(fake_telegram.all_messages())
    enqueue("reply", "chat:9001", "telegram", "9001", "Ответ по вашему обращению")
    enqueue("emergency", "rep:9002", "max", "user:9002", "Авария на водопроводе", urgent=True, group="outage:e")
    enqueue("emergency", "rep:9003", "telegram", "9003", "Авария на водопроводе", urgent=True, group="outage:e")
    db.session.commit()
    assert wait_until(lambda: None not in (_position(fake_telegram, "9001"), _position(fake_telegram, "9003"),
                                           _position(fake_max, "9002")), timeout=30)
    # Each went out within a few slots of its commit, long before the planned notice's end.
    reply, urgent = _position(fake_telegram, "9001"), _position(fake_telegram, "9003")
    assert reply is not None and urgent is not None
    assert reply < sent_before + 40 and urgent < sent_before + 40, (sent_before, reply, urgent)
    assert wait_until(lambda: fresh_stats("outage:planned")["sent"] == BULK_SIZE, timeout=60)
    received = [m.chat for m in fake_telegram.all_messages()]
    assert len(received) == len(set(received)) == BULK_SIZE + 2  # nobody twice
    assert fake_telegram.count_429 == 0 and fake_telegram.max_per_second() <= fake_telegram.global_per_second


def test_a_retry_after_on_one_channel_pauses_only_that_channel(
        senders: Flask, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    fake_telegram.fail(RATE_LIMIT, chat=500_001, times=1, retry_after=3)  # Telegram: "wait 3 s", whole bot
    enqueue_fan_out("tg", list(range(500_001, 500_031)), group="outage:tg")
    enqueue_fan_out("max", list(range(600_001, 600_031)), channel="max", group="outage:max")
    assert wait_until(lambda: fresh_stats("outage:tg")["sent"] == 30 and fresh_stats("outage:max")["sent"] == 30,
                      timeout=60)
    # The chat that got the 429 is retried after the pause; MAX did not wait for it.
    retried = fake_telegram.messages_to(500_001)[0].time
    assert max(m.time for m in fake_max.all_messages()) < retried
    assert fake_telegram.count_429 == 1 and fake_max.count_429 == 0


def test_a_stopping_sender_gives_back_what_it_claimed_and_records_what_it_sent(
        live_app: Flask, fake_telegram: FakeTelegram) -> None:
    enqueue_fan_out("stop", list(range(700_001, 700_101)), group="outage:stop")
    start_senders(live_app)
    try:
        assert wait_until(lambda: len(fake_telegram.all_messages()) >= 10, timeout=30)
    finally:
        stop_senders(live_app)
    assert sending_now() == 0  # nothing left under a lease
    stats = fresh_stats("outage:stop")
    assert stats["sent"] == len(fake_telegram.all_messages()) < 100  # every send recorded, the rest waits
    assert stats["pending"] == 100 - stats["sent"]


def test_the_lanes_keep_a_chats_own_limit(senders: Flask, fake_telegram: FakeTelegram) -> None:
    for number in range(5):  # five answers to one resident, committed at once: Telegram allows 1/s per chat
        enqueue(f"answer:{number}", "chat:800001", "telegram", "800001", f"Ответ {number}")
    db.session.commit()
    assert wait_until(lambda: len(fake_telegram.messages_to(800_001)) == 5, timeout=60)
    assert fake_telegram.count_429 == 0  # the fake answers 429 to a second message within a second
