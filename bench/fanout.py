"""Fan-out benchmark: 3,000 Telegram and 3,000 MAX recipients through the fake servers.

A real `otklik worker` process (8 threads) sends; both notices are committed in one transaction
while the worker idles.  Prints one JSON line: per channel the achieved rate over the configured
rate, the time from commit to the first message, and the 429s provoked.  Goals: ratio >= 0.9,
first message within 1 s, zero 429s.  Run: `python bench/fanout.py [--recipients N] [--postgres]`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, database, emit, postgres_available  # noqa: E402
from workflows.services import services_of

RATE = 25  # the contract's default for Telegram and MAX
CHANNELS = ("telegram", "max")


def _settings(fakes: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {"DELIVERY_QUIET_HOURS": "off"}
    for channel, fake in fakes.items():
        prefix = channel.upper()
        settings.update({f"{prefix}_API_URL": fake.url, f"{prefix}_TOKEN": fake.token, f"{prefix}_RATE": RATE})
    return settings


def _worker(settings: dict[str, Any], database_url: str, queue_url: str, folder: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, OTKLIK_DATABASE_URL=database_url, OTKLIK_QUEUE_URL=queue_url,
               OTKLIK_SECRET_KEY="bench", OTKLIK_INSTANCE_PATH=folder,
               OTKLIK_RATELIMIT_ENABLED="false")  # the load comes from one address
    env.update({f"OTKLIK_{key}": str(value) for key, value in settings.items()})
    log = open(Path(folder) / "worker.log", "wb")  # noqa: SIM115 - lives as long as the process
    command = [sys.executable, "-c", "from web.cli import main; main()", "worker", "--workers", "8"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _address(channel: str, number: int) -> str:
    return str(number) if channel == "telegram" else f"user:{number}"


def _commit_fan_out(recipients: int, notice: str) -> float:
    from workflows.db import db
    from workflows.delivery import enqueue

    for channel in CHANNELS:
        for number in range(1, recipients + 1):
            enqueue(f"{notice}:{channel}", f"rep:{number}", channel, _address(channel, 300_000 + number),
                    "Плановое отключение холодной воды", urgent=True, group=f"{notice}:{channel}")
    db.session.commit()
    return time.monotonic()


def _wait_for(fakes: dict[str, Any], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while any(len(f.all_messages()) < count for f in fakes.values()) and time.monotonic() < deadline:
        time.sleep(0.2)


def _figures(fake: Any, committed: float, recipients: int) -> dict[str, Any]:
    times = sorted(m.time for m in fake.all_messages())
    per_chat = Counter(m.chat for m in fake.all_messages())
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return {"recipients": recipients, "received": len(per_chat), "duplicates": sum(per_chat.values()) - len(per_chat),
            "configured_rate": RATE, "achieved_rate": round(achieved, 2), "ratio": round(achieved / RATE, 3),
            "first_message_s": round(times[0] - committed, 3) if times else None,
            "max_per_second": fake.max_per_second(), "http_429": fake.count_429}


def run(recipients: int, kind: str) -> dict[str, Any]:
    from tests.fakes import FakeMax, FakeTelegram
    from web.app import create_app
    from workflows.db import db

    with FakeTelegram() as telegram, FakeMax() as max_api, database(kind) as database_url, \
            tempfile.TemporaryDirectory() as folder:
        fakes = {"telegram": telegram, "max": max_api}
        queue_url = "redis://127.0.0.1:6379/14" if kind == "postgres" else f"sqlite:///{folder}/queue.db"
        settings = _settings(fakes)
        app = create_app({"DATABASE_URL": database_url, "QUEUE_URL": queue_url, "SECRET_KEY": "bench", **settings})
        with app.app_context():
            db.create_all()
            if kind == "postgres":
                services_of(app).huey.flush()
            worker = _worker(settings, database_url, queue_url, folder)
            try:
                _commit_fan_out(1, "warmup")  # the worker is up and its bots are connected...
                _wait_for(fakes, 1, 60)
                time.sleep(3)  # ...and then idles, as before a real notice
                for fake in fakes.values():
                    fake.reset()
                committed = _commit_fan_out(recipients, "notice")
                _wait_for(fakes, recipients, recipients / RATE * 2 + 30)
            finally:
                worker.terminate()
                worker.wait(15)
            db.session.remove()
        return {"backend": kind, **{channel: _figures(fake, committed, recipients) for channel, fake in fakes.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis instead of SQLite")
    args = parser.parse_args()
    kind = "postgres" if args.postgres and postgres_available() else "sqlite"
    emit({"bench": "fanout", **run(args.recipients, kind)})


if __name__ == "__main__":
    main()
