"""huey: storage chosen by URL, and the background tasks (each takes ids and calls one service)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from workflows.appeals.signals import propagate_incident, sweep_incident_signals
from workflows.delivery.tasks import register_delivery_tasks
from workflows.digest.service import digest_tick
from workflows.outages.fanout import fan_out_notice, sweep_pending_fan_outs
from workflows.outages.waves import switch_due_waves
from workflows.runtime import timers
from workflows.social_intake.tasks import register_social_tasks

log = logging.getLogger(__name__)


def make_huey(url: str, immediate: bool = False) -> Huey:
    """`sqlite:///path`, `redis://host:port/db` or `memory://`."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("otklik", filename=path, immediate=immediate, utc=True, timeout=30)
    if scheme in ("redis", "rediss"):
        return RedisHuey("otklik", url=url, immediate=immediate, utc=True)
    if scheme == "memory":
        return MemoryHuey("otklik", immediate=immediate, utc=True)
    raise ValueError(f"unsupported queue URL {url!r}: use sqlite:///path, redis://host:port/db or memory://")


class Scheduler:
    """What services call to get background work done after their commit."""

    def __init__(self, tasks: dict[str, Any]) -> None:
        self.tasks = tasks

    def timer_due(self, instance_id: int, due_at: datetime) -> None:
        self.tasks["fire_timer"].schedule(args=(instance_id,), eta=due_at)

    def enqueue(self, name: str, *args: Any) -> None:
        self.tasks[name](*args)


def register_tasks(huey: Huey, app: Flask, extra: dict[str, Callable[..., Any]] | None = None) -> dict[str, Any]:
    """Define the huey tasks bound to `app`; returns name → task."""
    def in_app(fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            with app.app_context():
                return fn(*args)
        run.__name__ = fn.__name__
        return run

    tasks: dict[str, Any] = {
        "fire_timer": huey.task(name="fire_timer", retries=3, retry_delay=5)(in_app(timers.fire_due_timers)),
        "sweep_timers": huey.periodic_task(crontab(minute="*"), name="sweep_timers")(in_app(timers.sweep_timers)),
        "propagate_incident": huey.task(name="propagate_incident", retries=5, retry_delay=10)(
            in_app(propagate_incident)),
        "sweep_incident_signals": huey.periodic_task(crontab(minute="*"), name="sweep_incident_signals")(
            in_app(sweep_incident_signals)),
    }
    tasks.update(register_delivery_tasks(huey, in_app))
    tasks.update(register_social_tasks(huey, in_app))
    tasks["outage_fan_out"] = huey.task(name="outage_fan_out", retries=5, retry_delay=10)(in_app(fan_out_notice))
    tasks["outage_fan_out_sweep"] = huey.periodic_task(crontab(minute="*"), name="outage_fan_out_sweep")(
        in_app(sweep_pending_fan_outs))
    tasks["rollout_wave_switch"] = huey.periodic_task(crontab(minute="*"), name="rollout_wave_switch")(
        in_app(switch_due_waves))
    # hourly: the digest goes out once the configured weekday and hour (city time) come, once per week
    tasks["weekly_digest"] = huey.periodic_task(crontab(minute="7"), name="weekly_digest")(in_app(digest_tick))
    for name, fn in (extra or {}).items():
        tasks[name] = huey.task(name=name, retries=5, retry_delay=10)(in_app(fn))
    return tasks
