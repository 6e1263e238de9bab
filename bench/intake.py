"""Intake benchmark: appeals registered and routed per second through the HTTP API (gunicorn, two
processes) on SQLite and PostgreSQL, and the inbox page's median and p95 with 100,000 appeals.

Prints one JSON line. Run: `.venv/bin/python bench/intake.py` (PostgreSQL part when it answers).
"""
from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database, emit, postgres_available, timings_ms  # noqa: E402

CATEGORIES = ["roof", "entrance", "yard", "elevator", "billing", "ventilation", "basement", "structure"]
CLIENT_THREADS = 16
SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([sys.executable, "-c", "from web.cli import main; main()", *args], env=env, input=stdin,
                            capture_output=True, text=True, check=True, timeout=600)
    return result.stdout


class Server:
    """`otklik serve --no-worker` (gunicorn with two worker processes) on a prepared database."""

    def __init__(self, url: str, folder: str, queue_url: str | None = None, threads: int = 4) -> None:
        self.port = _free_port()
        queue_url = queue_url or f"sqlite:///{folder}/queue.db"
        self.env = {**os.environ, "OTKLIK_DATABASE_URL": url, "OTKLIK_QUEUE_URL": queue_url,
                    "OTKLIK_SECRET_KEY": "bench", "OTKLIK_INSTANCE_PATH": folder,
                    "OTKLIK_RATELIMIT_ENABLED": "false"}  # the load comes from one address
        _cli(self.env, "db", "upgrade")
        _cli(self.env, "demo", "load", "--history-days", "0")  # the city without its month of history
        _cli(self.env, "user", "create", "bench_disp", "--role", "dispatcher", "--password-stdin",
             stdin="Bench-pass-123\n")
        self.token = _cli(self.env, "token", "create", "bench_disp").strip()
        log = open(os.path.join(folder, "serve.log"), "w")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "serve", "--no-worker",
                                      "--port", str(self.port), "--web-workers", "2",
                                      "--web-threads", str(threads)], env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(120):
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(20)


def appeals_per_second(server: Server) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {server.token}"}
    deadline = time.perf_counter() + SECONDS
    counts: list[tuple[int, int]] = []

    def worker(seed: int) -> tuple[int, int]:
        rng, ok, bad = random.Random(seed), 0, 0
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
            while time.perf_counter() < deadline:
                body = {"text": "Бенчмарк: обращение", "channel": "api", "building_id": rng.randint(1, 500),
                        "category": rng.choice(CATEGORIES), "emergency": False}
                status = client.post("/api/v1/appeals", json=body).status_code
                ok, bad = (ok + 1, bad) if status == 201 else (ok, bad + 1)
        return ok, bad

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        counts = list(pool.map(worker, range(CLIENT_THREADS)))
    elapsed = time.perf_counter() - started
    return {"appeals_per_s": round(sum(c[0] for c in counts) / elapsed, 1), "errors": sum(c[1] for c in counts)}


def _create_missing_tables(url: str) -> None:
    """Tables newer than the last migration (create_all adds only what is missing; harmless once migrated)."""
    from web.app import create_app
    from workflows.db import db

    app = create_app({"DATABASE_URL": url, "QUEUE_URL": "memory://", "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def open311_per_second(server: Server, login: str = "bench_o311") -> dict[str, Any]:
    """Open311 POST requests.json (form-encoded, an integration user's api_key), same load as the API rate."""
    _create_missing_tables(server.env["OTKLIK_DATABASE_URL"])
    _cli(server.env, "user", "create", login, "--role", "integration", "--org", "7")
    api_key = _cli(server.env, "token", "create", login).strip()
    deadline = time.perf_counter() + SECONDS
    first_error: list[str] = []

    def worker(seed: int) -> tuple[int, int]:
        rng, ok, bad = random.Random(seed), 0, 0
        with httpx.Client(base_url=server.base, timeout=30) as client:
            while time.perf_counter() < deadline:
                form = {"api_key": api_key, "service_code": rng.choice(CATEGORIES),
                        "address_id": str(rng.randint(1, 500)), "description": "Бенчмарк: обращение Open311",
                        "attribute[emergency]": "no"}
                answer = client.post("/open311/v2/requests.json", data=form)
                ok, bad = (ok + 1, bad) if answer.status_code == 201 else (ok, bad + 1)
                if answer.status_code != 201 and not first_error:
                    first_error.append(f"{answer.status_code} {answer.text[:200]}")
        return ok, bad

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        counts = list(pool.map(worker, range(CLIENT_THREADS)))
    elapsed = time.perf_counter() - started
    return {"open311_per_s": round(sum(c[0] for c in counts) / elapsed, 1), "errors": sum(c[1] for c in counts),
            "first_error": first_error[0] if first_error else None}


def _fill_appeals(url: str, folder: str, total: int) -> None:
    """Bulk-insert appeals (a third with an open accept task) up to `total` rows."""
    from sqlalchemy import func, insert, select

    from web.app import create_app
    from workflows.appeals.models import Appeal
    from workflows.db import db
    from workflows.runtime.models import HumanTask, ProcessInstance

    app = create_app({"DATABASE_URL": url, "QUEUE_URL": "memory://", "SECRET_KEY": "bench"})
    app.instance_path = folder
    with app.app_context():
        have = db.session.scalar(select(func.count(Appeal.id))) or 0
        instance_id = db.session.scalar(select(ProcessInstance.id).limit(1))
        now = datetime.now(UTC)
        for start in range(have, total, 5000):
            rows = [{"number": f"B-{n:07d}", "channel": "api", "text": "Историческое обращение", "category": "roof",
                     "category_confirmed": True, "emergency": False, "building_id": 1 + n % 500,
                     "organization_id": 7 + n % 8, "status": "assigned", "escalation_level": 0, "refusals": 0,
                     "due_at": now + timedelta(minutes=n % 10000), "created_at": now}
                    for n in range(start, min(total, start + 5000))]
            ids = db.session.execute(insert(Appeal).returning(Appeal.id), rows).scalars().all()
            tasks = [{"instance_id": instance_id, "task_uuid": f"bench-{i}", "process_id": "appeal", "name": "accept",
                      "title": "Принять обращение", "lane": "org_staff", "roles": "org_staff",
                      "organization_id": 7 + i % 8, "due_at": now + timedelta(minutes=i % 10000),
                      "sort_key": now + timedelta(minutes=i % 10000), "form": {},
                      "status": "open", "appeal_id": i, "created_at": now} for i in ids[::3]]
            db.session.execute(insert(HumanTask), tasks)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


def inbox_timings(server: Server) -> dict[str, float]:
    _cli(server.env, "user", "create", "bench_uk", "--role", "org_staff", "--org", "7", "--password-stdin",
         stdin="Bench-pass-123\n")
    with httpx.Client(base_url=server.base, timeout=30, follow_redirects=False) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token is not None
        answer = client.post("/login", data={"login": "bench_uk", "password": "Bench-pass-123",
                                             "csrf_token": token.group(1)})
        assert answer.status_code == 302, answer.text[:200]
        for _ in range(10):
            client.get("/inbox")
        return timings_ms(lambda: client.get("/inbox").raise_for_status(), repeat=200)


def run(kind: str) -> dict[str, Any]:
    with database(kind) as url, tempfile.TemporaryDirectory() as folder:
        server = Server(url, folder)
        try:
            figures = appeals_per_second(server)
            if kind == "postgres":  # Open311 POST against the contract API's rate (issue 6)
                figures["open311"] = open311_per_second(server)
            _fill_appeals(url, folder, 100_000)
            figures["inbox_100k"] = inbox_timings(server)
        finally:
            server.stop()
    return figures


def main() -> None:
    figures: dict[str, Any] = {"bench": "intake", "client_threads": CLIENT_THREADS, "seconds": SECONDS,
                               "web_processes": 2}
    for kind in ["sqlite"] + (["postgres"] if postgres_available() else []):
        figures[kind] = run(kind)
    emit(figures)


if __name__ == "__main__":
    main()
