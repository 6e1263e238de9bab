"""Running the real processes over a month with a fake clock, the queue worked in-line.

While the harness is open the app's clock is a FakeClock, background work (timers, deliveries,
incident propagation, fan-outs, social dispatch) is recorded instead of queued and run at each step,
messages "leave" through a demo connector that accepts everything, and the rate limiter grants every
slot at once (the month's sends happened over a month, not in the seconds this takes).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

from flask import Flask

from connectors import OutgoingMessage, SendResult
from workflows.clock import FakeClock
from workflows.delivery.ratelimit import Reservation, Rule
from workflows.delivery.sweep import sweep_outbox
from workflows.queue import Scheduler
from workflows.runtime.timers import sweep_timers
from workflows.services import services_of

CHANNELS = ("telegram", "max", "vk", "email", "sms", "webhook")
IGNORED = frozenset({"fire_timer"})  # the harness sweeps timers itself at every step
MAX_ROUNDS = 20


class DemoConnector:
    """Accepts every message (the demo's month of sends); numbers them like a messenger would."""

    _ids = count(1)

    def __init__(self, channel: str) -> None:
        self.channel = channel

    @classmethod
    def for_channel(cls, channel: str) -> Callable[[Any], DemoConnector]:
        return lambda settings: cls(channel)

    def send(self, message: OutgoingMessage) -> SendResult:
        return SendResult(message_id=f"demo-{next(self._ids)}")

    def close(self) -> None:
        return None


class _Factory:
    def __init__(self, channel: str) -> None:
        self.channel = channel

    def from_settings(self, settings: Any) -> DemoConnector:
        return DemoConnector(self.channel)


class OpenLimiter:
    def reserve(self, shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
        return Reservation(True, 0.0)

    def pause(self, key: str, seconds: float) -> None:
        return None


@dataclass
class Recorded:
    """Stands for a huey task: calls and schedules are kept and run by `Harness.drain`."""

    name: str
    task: Any
    calls: list[tuple[str, tuple[Any, ...]]]

    def __call__(self, *args: Any) -> None:
        if self.name not in IGNORED:
            self.calls.append((self.name, args))

    def schedule(self, args: tuple[Any, ...] = (), **_: Any) -> None:
        self(*args)


@dataclass
class Harness:
    clock: FakeClock
    real_tasks: dict[str, Any]
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def at(self, moment: datetime) -> None:
        """Move the clock forward to `moment` and let everything that became due happen."""
        if moment > self.clock.now():
            self.clock.set(moment)
        self.settle()

    def settle(self) -> None:
        for _ in range(MAX_ROUNDS):
            fired = sweep_timers(limit=5000)
            sweep_outbox()
            ran = self.drain()
            if not fired and not ran:
                return

    def drain(self) -> int:
        ran = 0
        while self.calls:
            name, args = self.calls.pop(0)
            self.real_tasks[name].call_local(*args)
            ran += 1
        return ran


@contextmanager
def harness(app: Flask, start: datetime) -> Iterator[Harness]:
    wired = services_of(app)
    replaced = ("clock", "tasks", "scheduler", "connector_classes", "connectors", "limiter")
    saved = {name: getattr(wired, name) for name in replaced}
    real_tasks: dict[str, Any] = dict(wired.tasks)
    fake = FakeClock(start)
    running = Harness(fake, real_tasks)
    recorded = {name: Recorded(name, task, running.calls) for name, task in real_tasks.items()}
    wired.clock, wired.tasks, wired.scheduler = fake, recorded, Scheduler(recorded)
    wired.connector_classes = {channel: _Factory(channel) for channel in CHANNELS}
    wired.connectors, wired.limiter = {}, OpenLimiter()
    try:
        yield running
    finally:
        for name, value in saved.items():
            setattr(wired, name, value)
