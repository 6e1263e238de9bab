"""Real `otklik worker` processes for the crash tests, and the kill-and-restart scenario they share."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import ROOT, make_app
from tests.delivery.helpers import enqueue_fan_out, fake_settings, fresh_stats, wait_until
from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import SystemClock
from workflows.db import db
from workflows.delivery import SENDING, OutboxMessage
from workflows.services import services_of

LEASE_SECONDS = 5
RATE = 25  # the contract's default: under the fake's 30/s, with room for a busy test machine's jitter


def worker_env(tmp_path: Path, fake: FakeTelegram, database_url: str, queue_url: str, rate: int = RATE
               ) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "OTKLIK_DATABASE_URL": database_url, "OTKLIK_QUEUE_URL": queue_url,
        "OTKLIK_TELEGRAM_API_URL": fake.url, "OTKLIK_TELEGRAM_TOKEN": fake.token,
        "OTKLIK_TELEGRAM_RATE": str(rate), "OTKLIK_TELEGRAM_TIMEOUT": "5",
        "OTKLIK_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS), "OTKLIK_DELIVERY_QUIET_HOURS": "off",
        "OTKLIK_SECRET_KEY": "test-secret", "OTKLIK_INSTANCE_PATH": str(tmp_path / "instance"),
    })
    return env


def start_worker(env: dict[str, str], log_path: Path, threads: int = 6) -> subprocess.Popen[bytes]:
    log = log_path.open("wb")
    command = [sys.executable, "-c", "from web.cli import main; main()", "worker", "--workers", str(threads)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sending_now() -> int:
    db.session.rollback()
    count = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == SENDING))
    db.session.rollback()
    return int(count or 0)


@dataclass
class KillOutcome:
    done: bool
    missed: set[int]
    duplicates: int
    in_flight_at_kill: int
    sent_before_kill: int


def sender_app(tmp_path: Path, fake: FakeTelegram, database_url: str, queue_url: str) -> Flask:
    """The app a test commits notices with: same database and queue as the workers, no consumer."""
    app = make_app(tmp_path, database_url, QUEUE_URL=queue_url, QUEUE_IMMEDIATE=False,
                   DELIVERY_LEASE_SECONDS=LEASE_SECONDS, **fake_settings(fake, rate=RATE))
    services_of(app).clock = SystemClock()
    return app


def kill_and_restart(tmp_path: Path, fake: FakeTelegram, database_url: str, queue_url: str,
                     workers: int, recipients: int, rate: int = RATE) -> KillOutcome:
    """Fan out, SIGKILL the first worker mid-way, let its leases run out, restart it, wait for the end."""
    app = sender_app(tmp_path, fake, database_url, queue_url)
    env = worker_env(tmp_path, fake, database_url, queue_url, rate)
    processes = [start_worker(env, tmp_path / f"worker{i}.log") for i in range(workers)]
    chats = list(range(200_001, 200_001 + recipients))
    try:
        with app.app_context():
            enqueue_fan_out("crash", chats, group="outage:crash")
            assert wait_until(lambda: len(fake.all_messages()) >= recipients // 3, timeout=40), _logs(tmp_path)
            processes[0].kill()
            processes[0].wait()
            sent_before_kill = len(fake.all_messages())
            in_flight = sending_now()
            time.sleep(LEASE_SECONDS)  # a restart comes after the dead worker's leases ran out
            processes[0] = start_worker(env, tmp_path / "worker0-restarted.log")
            done = wait_until(lambda: fresh_stats("outage:crash")["sent"] == recipients, timeout=60, step=0.25)
            db.session.remove()
    finally:
        for process in processes:
            stop(process)
    received: Counter[int] = Counter(int(m.chat) for m in fake.all_messages())
    return KillOutcome(done, set(chats) - set(received), sum(n - 1 for n in received.values()), in_flight,
                       sent_before_kill)


def _logs(tmp_path: Path) -> Any:
    return {p.name: p.read_text(errors="replace")[-2000:] for p in tmp_path.glob("worker*.log")}
