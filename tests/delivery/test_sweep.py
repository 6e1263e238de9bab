"""The sweep queues again what no task took, and takes back rows from a dead worker."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask

from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import SENDING, SENT, OutboxMessage, enqueue
from workflows.delivery.claims import claim
from workflows.delivery.sweep import sweep_outbox
from workflows.services import services_of


@contextmanager
def queue_entries_lost(app: Flask) -> Iterator[None]:
    """Whatever is queued meanwhile never reaches a worker."""
    tasks = services_of(app).tasks
    real = {name: tasks[name] for name in ("deliver_outbox", "fan_out_outbox")}
    tasks.update({name: (lambda *args, **kwargs: None) for name in real})
    try:
        yield
    finally:
        tasks.update(real)


def _lost_queue_entry(wired_app: Flask) -> OutboxMessage:
    with queue_entries_lost(wired_app):
        row = enqueue("n", "rep:1", "telegram", "7001", "Отключение", urgent=True)
        db.session.commit()
    return row


def test_sweep_sends_a_due_row_whose_queue_entry_was_lost(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    row = _lost_queue_entry(wired_app)
    assert sweep_outbox() == 0  # recently queued: perhaps still waiting in the queue
    clock.advance(timedelta(minutes=3))
    assert sweep_outbox() == 1
    assert db.session.get(OutboxMessage, row.id).state == SENT  # type: ignore[union-attr]
    assert len(fake_telegram.messages_to(7001)) == 1


def test_sweep_at_worker_start_queues_every_due_row(wired_app: Flask, fake_telegram: FakeTelegram) -> None:
    _lost_queue_entry(wired_app)
    assert sweep_outbox(startup=True) == 1
    assert len(fake_telegram.messages_to(7001)) == 1


def test_sweep_takes_back_a_row_whose_worker_died_mid_send(
        wired_app: Flask, clock: FakeClock, fake_telegram: FakeTelegram) -> None:
    row = _lost_queue_entry(wired_app)
    assert claim(row.id, lease_seconds=60) is not None  # the worker that took it dies here
    assert db.session.get(OutboxMessage, row.id).state == SENDING  # type: ignore[union-attr]
    clock.advance(timedelta(seconds=30))
    assert sweep_outbox() == 0 and claim(row.id, 60) is None  # the lease still holds
    clock.advance(timedelta(seconds=31))
    assert sweep_outbox() == 1
    assert len(fake_telegram.messages_to(7001)) == 1


def test_a_backlog_still_working_through_the_queue_is_not_queued_again(wired_app: Flask, clock: FakeClock) -> None:
    wired_app.config["TELEGRAM_RATE"] = 2  # 1,000 rows take 500 s at this rate
    with queue_entries_lost(wired_app):
        for chat in range(1000):
            enqueue("big", f"rep:{chat}", "telegram", str(chat), "Отключение", urgent=True)
        db.session.commit()
        clock.advance(timedelta(minutes=5))
        assert sweep_outbox() == 0  # due 5 minutes, but the channel needs 8+ for them: still queued
        clock.advance(timedelta(minutes=8))
        assert sweep_outbox() == 1000
        assert sweep_outbox() == 0  # queued again just now
