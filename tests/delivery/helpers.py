"""Helpers for the delivery tests: an in-process huey worker, waiting, and building recipients."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from workflows.db import db
from workflows.delivery import DeliveryStats, delivery_stats, enqueue
from workflows.services import services_of


class InProcessWorker:
    """A few threads that run the app's (non-immediate) huey queue and its schedule, like a consumer."""

    def __init__(self, app: Flask, threads: int = 8) -> None:
        self.huey = services_of(app).huey
        self.threads = threads
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> InProcessWorker:
        targets = [self._work] * self.threads + [self._schedule]
        self._threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(10)

    def _work(self) -> None:
        while not self.stopping.is_set():
            task = self.huey.dequeue()
            if task is None:
                time.sleep(0.01)
                continue
            self.huey.execute(task)

    def _schedule(self) -> None:
        while not self.stopping.is_set():
            for task in self.huey.read_schedule():
                self.huey.enqueue(task)
            time.sleep(0.05)


def wait_until(predicate: Callable[[], Any], timeout: float, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def fresh_stats(group: str) -> DeliveryStats:
    """Stats read in a transaction of their own: an open one would keep showing an old snapshot
    (and, on SQLite, keep the write lock the workers need)."""
    db.session.rollback()
    try:
        return delivery_stats(group)
    finally:
        db.session.rollback()


def enqueue_fan_out(notice: str, chats: list[int], channel: str = "telegram", urgent: bool = True,
                    group: str | None = None) -> None:
    """One notice to many chats in one committed transaction."""
    for chat in chats:
        enqueue(notice, f"chat:{chat}", channel, str(chat), f"Отключение воды, дом {chat}", urgent=urgent,
                group=group or notice)
    db.session.commit()


def fake_settings(fake: Any, channel: str = "telegram", rate: int = 28) -> dict[str, Any]:
    prefix = channel.upper()
    return {f"{prefix}_API_URL": fake.url, f"{prefix}_TOKEN": fake.token, f"{prefix}_TIMEOUT": 5,
            f"{prefix}_RATE": rate}
