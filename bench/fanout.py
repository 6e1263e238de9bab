"""Fan-out benchmark: 3,000 Telegram and 3,000 MAX recipients through the fake servers.

Default set-up: `otklik serve` exactly as the README starts it (SQLite database, huey on SQLite, the
worker's default settings); `--postgres`: PostgreSQL + Redis with two `otklik worker` processes (default
settings).  The notices are committed from this process, into the same database and queue, while the
worker idles.  Two scenarios:
- fan-out: both notices committed in one transaction; per channel the achieved rate over the configured
  rate, the time from commit to the first message, the 429s provoked, duplicates;
- cross-channel: 3,000 Telegram notices queued and sending, then one emergency MAX notice and one reply
  to a resident on Telegram are committed: the time from that commit to each of them.
Prints one JSON line.  Goals: ratio >= 0.95, first message <= 1 s, 0 x 429; cross-channel <= 1 s.
Run: `python bench/fanout.py [--recipients N] [--postgres]`.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, database, emit, postgres_available  # noqa: E402
from workflows.services import services_of

RATE = 25  # the contract's default for Telegram and MAX
CHANNELS = ("telegram", "max")
REDIS_URL = os.environ.get("OTKLIK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
OTKLIK = [sys.executable, "-c", "from web.cli import main; main()"]


def _settings(fakes: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {"DELIVERY_QUIET_HOURS": "off"}
    for channel, fake in fakes.items():
        prefix = channel.upper()
        settings.update({f"{prefix}_API_URL": fake.url, f"{prefix}_TOKEN": fake.token, f"{prefix}_RATE": RATE})
    return settings


def _env(settings: dict[str, Any], folder: str, database_url: str | None, queue_url: str | None) -> dict[str, str]:
    env = dict(os.environ, OTKLIK_SECRET_KEY="bench", OTKLIK_INSTANCE_PATH=folder,
               OTKLIK_RATELIMIT_ENABLED="false")  # the load comes from one address
    env.pop("OTKLIK_DATABASE_URL", None)
    env.pop("OTKLIK_QUEUE_URL", None)
    if database_url and queue_url:
        env.update(OTKLIK_DATABASE_URL=database_url, OTKLIK_QUEUE_URL=queue_url)
    env.update({f"OTKLIK_{key}": str(value) for key, value in settings.items()})
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(OTKLIK + args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def _processes(kind: str, env: dict[str, str], folder: str) -> Iterator[None]:
    """`otklik serve` with its defaults, or two `otklik worker` processes with theirs."""
    if kind == "sqlite":
        port = _free_port()
        processes = [_start(["serve", "--port", str(port)], env, Path(folder) / "serve.log")]
        _wait_http(f"http://127.0.0.1:{port}/healthz", 60)
    else:
        processes = [_start(["worker"], env, Path(folder) / f"worker{i}.log") for i in range(2)]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("OTKLIK_BENCH_LOGS"):  # keep the processes' logs for a look afterwards
            for log in Path(folder).glob("*.log"):
                (Path(os.environ["OTKLIK_BENCH_LOGS"]) / log.name).write_bytes(log.read_bytes())


def _address(channel: str, number: int) -> str:
    return str(number) if channel == "telegram" else f"user:{number}"


def _commit(rows: list[tuple[str, str, str, str, bool, str | None]]) -> float:
    """Rows of (notice, recipient, channel, address, urgent, group) in one transaction; when the commit began."""
    from workflows.db import db
    from workflows.delivery import enqueue

    for notice, recipient, channel, address, urgent, group in rows:
        enqueue(notice, recipient, channel, address, "Плановое отключение холодной воды", urgent=urgent, group=group)
    db.session.flush()
    committing = time.monotonic()  # the rows are written; what is left is the commit and the queue writes
    db.session.commit()
    return committing


def _notice(notice: str, channel: str, recipients: int, base: int) -> list[tuple[str, str, str, str, bool, str | None]]:
    return [(f"{notice}:{channel}", f"rep:{n}", channel, _address(channel, base + n), False, f"{notice}:{channel}")
            for n in range(1, recipients + 1)]


def _wait_for(fakes: dict[str, Any], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while any(len(f.all_messages()) < count for f in fakes.values()) and time.monotonic() < deadline:
        time.sleep(0.2)


def _first_to(fake: Any, chat: str, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = fake.messages_to(chat)
        if found:
            return float(found[0].time)
        time.sleep(0.02)
    return None


def _figures(fake: Any, committed: float, recipients: int) -> dict[str, Any]:
    times = sorted(m.time for m in fake.all_messages())
    per_chat = Counter(m.chat for m in fake.all_messages())
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return {"recipients": recipients, "received": len(per_chat), "duplicates": sum(per_chat.values()) - len(per_chat),
            "configured_rate": RATE, "achieved_rate": round(achieved, 2), "ratio": round(achieved / RATE, 3),
            "first_message_s": round(times[0] - committed, 3) if times else None,
            "max_per_second": fake.max_per_second(), "http_429": fake.count_429}


def _fan_out(fakes: dict[str, Any], recipients: int) -> dict[str, Any]:
    for fake in fakes.values():
        fake.reset()
    committed = _commit([row for channel in CHANNELS for row in _notice("notice", channel, recipients, 300_000)])
    _wait_for(fakes, recipients, recipients / RATE * 2 + 30)
    return {channel: _figures(fake, committed, recipients) for channel, fake in fakes.items()}


def _cross_channel(fakes: dict[str, Any], recipients: int) -> dict[str, Any]:
    """Telegram busy with `recipients` queued; then an emergency on MAX and a reply on Telegram."""
    telegram, max_api = fakes["telegram"], fakes["max"]
    for fake in fakes.values():
        fake.reset()
    _commit(_notice("busy", "telegram", recipients, 500_000))
    _wait_for({"telegram": telegram}, 1, 30)
    time.sleep(1.0)
    committed = _commit([("emergency:max", "rep:1", "max", "user:900001", True, "emergency:max"),
                         ("reply:1", "chat:900002", "telegram", "900002", False, None)])
    queued = recipients - len(telegram.all_messages())
    to_max, reply = _first_to(max_api, "900001", 30), _first_to(telegram, "900002", 30)
    return {"telegram_queued_at_commit": queued,
            "max_emergency_first_message_s": round(to_max - committed, 3) if to_max else None,
            "telegram_reply_first_message_s": round(reply - committed, 3) if reply else None,
            "http_429": telegram.count_429 + max_api.count_429}


def run(recipients: int, kind: str) -> dict[str, Any]:
    from tests.fakes import FakeMax, FakeTelegram
    from web.app import create_app
    from workflows.db import db

    with FakeTelegram() as telegram, FakeMax() as max_api, database(kind) as database_url, \
            tempfile.TemporaryDirectory() as folder:
        fakes = {"telegram": telegram, "max": max_api}
        settings = _settings(fakes)
        if kind == "sqlite":  # what `otklik serve` uses when nothing is configured
            database_url, queue_url = f"sqlite:///{folder}/otklik.db", f"sqlite:///{folder}/queue.db"
            env = _env(settings, folder, None, None)
        else:
            queue_url = REDIS_URL
            env = _env(settings, folder, database_url, queue_url)
        app = create_app({"DATABASE_URL": database_url, "QUEUE_URL": queue_url, "SECRET_KEY": "bench", **settings})
        with app.app_context():
            db.create_all()
            if kind == "postgres":
                services_of(app).huey.flush()
            with _processes(kind, env, folder):
                _commit([row for channel in CHANNELS for row in _notice("warmup", channel, 1, 100_000)])
                _wait_for(fakes, 1, 60)  # the worker is up and its bots are connected...
                time.sleep(3)  # ...and then idles, as before a real notice
                fan_out = _fan_out(fakes, recipients)
                time.sleep(3)
                cross = _cross_channel(fakes, recipients)
            db.session.remove()
    setup = "otklik serve (defaults: SQLite, huey on SQLite)" if kind == "sqlite" else \
        "PostgreSQL + Redis, 2 x otklik worker (defaults)"
    return {"backend": kind, "setup": setup, **fan_out, "cross_channel": cross}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis, two worker processes")
    args = parser.parse_args()
    kind = "postgres" if args.postgres and postgres_available() else "sqlite"
    emit({"bench": "fanout", **run(args.recipients, kind)})


if __name__ == "__main__":
    main()
