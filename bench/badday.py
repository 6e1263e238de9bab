"""The bad day: a heating main bursts. 1,200 heating appeals over 150 buildings of one supplier in two
minutes through `POST /api/v1/appeals`; the outage is registered at minute 1, its end changed at minute 3,
supply restored at minute 5. PostgreSQL + Redis, `otklik serve --no-worker` (two gunicorn processes) and
one `otklik worker`.

Prints one JSON line: appeals/s accepted, p95 of the POST and of the inbox during the storm over idle,
incidents and supplier tasks (goal: one incident per cause, held by the supplier), appeals left unresolved
after restoration (goal 0), seconds from the third building's first appeal to the supplier's
`suspected_outage` task (goal <= 10 s).

Run: `.venv/bin/python bench/badday.py [--appeals 1200 --buildings 150 --seconds 120]`.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database, emit  # noqa: E402
from bench.intake import Server, _cli  # noqa: E402

REDIS_URL = os.environ.get("OTKLIK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1) if ordered else 0.0


def _supplier_and_buildings(url: str, count: int) -> tuple[int, list[int]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        supplier = conn.execute(text(
            "SELECT organization_id FROM building_supplier WHERE resource = 'heating' "
            "GROUP BY organization_id ORDER BY count(*) DESC LIMIT 1")).scalar_one()
        buildings = list(conn.execute(text(
            "SELECT building_id FROM building_supplier WHERE resource = 'heating' AND organization_id = :s "
            "ORDER BY building_id LIMIT :n"), {"s": supplier, "n": count}).scalars())
    engine.dispose()
    return int(supplier), [int(b) for b in buildings]


def _login(base: str, login: str) -> httpx.Client:
    import re

    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token is not None
    client.post("/login", data={"login": login, "password": "Bench-pass-123", "csrf_token": token.group(1)})
    return client


class Storm:
    def __init__(self, server: Server, buildings: list[int], total: int, seconds: float) -> None:
        self.server, self.buildings, self.total, self.seconds = server, buildings, total, seconds
        self.post_times: list[float] = []
        self.accepted = 0
        self.errors = 0
        self.first_appeal_at: dict[int, float] = {}
        self.lock = threading.Lock()

    def run(self) -> float:
        headers = {"Authorization": f"Bearer {self.server.token}"}
        started = time.monotonic()
        interval = self.seconds / self.total

        def send(n: int) -> None:
            due = started + n * interval
            time.sleep(max(0.0, due - time.monotonic()))
            building = self.buildings[random.Random(n).randrange(len(self.buildings))]
            body = {"text": "Нет отопления, батареи холодные", "channel": "phone", "building_id": building,
                    "category": "heating", "applicant": {"phone": f"+7910{n:07d}"}}
            with httpx.Client(base_url=self.server.base, headers=headers, timeout=60) as client:
                t0 = time.monotonic()
                answer = client.post("/api/v1/appeals", json=body)
                elapsed = time.monotonic() - t0
            with self.lock:
                self.post_times.append(elapsed)
                if answer.status_code == 201:
                    self.accepted += 1
                    self.first_appeal_at.setdefault(building, t0)
                else:
                    self.errors += 1

        with ThreadPoolExecutor(24) as pool:
            list(pool.map(send, range(self.total)))
        return time.monotonic() - started


def _idle_post_p95(server: Server, buildings: list[int]) -> float:
    headers = {"Authorization": f"Bearer {server.token}"}
    times = []
    with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
        for n in range(40):
            t0 = time.monotonic()
            client.post("/api/v1/appeals", json={"text": "Течёт крыша", "channel": "phone", "category": "roof",
                                                 "building_id": buildings[n % len(buildings)]})
            times.append(time.monotonic() - t0)
    return _p95(times)


def _inbox_sampler(client: httpx.Client, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        t0 = time.monotonic()
        client.get("/inbox")
        out.append(time.monotonic() - t0)
        stop.wait(0.5)


def _count(url: str, sql: str, **params: Any) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(value or 0)


def _wait_for_task(url: str, supplier: int, stop_at: float) -> float | None:
    while time.monotonic() < stop_at:
        if _count(url, "SELECT count(*) FROM human_task WHERE name = 'suspected_outage' AND organization_id = :s",
                  s=supplier):
            return time.monotonic()
        time.sleep(0.2)
    return None


def run(appeals: int, building_count: int, seconds: float) -> dict[str, Any]:
    with database("postgres") as url, tempfile.TemporaryDirectory() as folder:
        server = Server(url, folder, queue_url=REDIS_URL)
        worker = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"],
                                  env=server.env, stdout=open(os.path.join(folder, "worker.log"), "w"),  # noqa: SIM115
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            supplier, buildings = _supplier_and_buildings(url, building_count)
            _cli(server.env, "user", "create", "bench_heat", "--role", "org_staff", "--org", str(supplier),
                 "--password-stdin", stdin="Bench-pass-123\n")
            heat_token = _cli(server.env, "token", "create", "bench_heat").strip()
            inbox = _login(server.base, "bench_heat")
            idle_inbox: list[float] = []
            for _ in range(20):
                t0 = time.monotonic()
                inbox.get("/inbox")
                idle_inbox.append(time.monotonic() - t0)
            idle_post = _idle_post_p95(server, buildings[-20:])
            storm = Storm(server, buildings, appeals, seconds)
            stop, storm_inbox = threading.Event(), []
            sampler = threading.Thread(target=_inbox_sampler, args=(inbox, stop, storm_inbox))
            sampler.start()
            started = time.monotonic()
            task_seen: list[float | None] = []
            watcher = threading.Thread(target=lambda: task_seen.append(
                _wait_for_task(url, supplier, started + seconds * 3)))
            watcher.start()
            storm_thread = threading.Thread(target=storm.run)
            storm_thread.start()
            outage_id = _outage_timeline(server, heat_token, supplier, buildings, started, seconds)
            storm_thread.join()
            stop.set()
            sampler.join()
            watcher.join()
            unresolved = _settle(url, outage_id)
            third = sorted(storm.first_appeal_at.values())[2] if len(storm.first_appeal_at) >= 3 else None
            detected = task_seen[0] if task_seen else None
            return {
                "appeals": appeals, "buildings": building_count, "storm_seconds": seconds,
                "accepted_per_s": round(storm.accepted / seconds, 1), "accepted": storm.accepted,
                "errors": storm.errors,
                "post_p95_ms": {"idle": idle_post, "storm": _p95(storm.post_times)},
                "inbox_p95_ms": {"idle": _p95(idle_inbox), "storm": _p95(storm_inbox)},
                "heating_incidents_not_absorbed": _count(
                    url, "SELECT count(*) FROM incident WHERE resource = 'heating' AND status <> 'absorbed'"),
                "incident_holder_is_supplier": _count(
                    url, "SELECT count(*) FROM incident WHERE resource = 'heating' AND status <> 'absorbed' "
                         "AND organization_id = :s", s=supplier),
                "supplier_tasks": _count(url, "SELECT count(*) FROM human_task WHERE organization_id = :s", s=supplier),
                "management_company_accept_tasks_open": _count(
                    url, "SELECT count(*) FROM human_task t JOIN appeal a ON a.id = t.appeal_id "
                         "WHERE t.status = 'open' AND t.name = 'accept' AND a.category = 'heating'"),
                "unresolved_after_restoration": unresolved,
                "seconds_third_building_to_task": round(detected - third, 2) if detected and third else None,
            }
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
            server.stop()


def _outage_timeline(server: Server, token: str, supplier: int, buildings: list[int], started: float,
                     seconds: float) -> int:
    """Register at half the storm, change the end at 1.5x, restore at 2.5x (minutes 1, 3, 5 of a 2-minute storm)."""
    headers = {"Authorization": f"Bearer {token}"}
    now = datetime.now(UTC)
    with httpx.Client(base_url=server.base, headers=headers, timeout=120) as client:
        time.sleep(max(0.0, started + seconds / 2 - time.monotonic()))
        answer = client.post("/api/v1/outages", json={
            "kind": "emergency", "resource": "heating", "organization_id": supplier,
            "starts_at": (now - timedelta(minutes=5)).isoformat(), "ends_at": (now + timedelta(hours=6)).isoformat(),
            "description": "Порыв магистрали теплосети", "building_ids": buildings})
        answer.raise_for_status()
        outage_id = int(answer.json()["id"])
        time.sleep(max(0.0, started + seconds * 1.5 - time.monotonic()))
        client.patch(f"/api/v1/outages/{outage_id}", json={"ends_at": (now + timedelta(hours=8)).isoformat()})
        time.sleep(max(0.0, started + seconds * 2.5 - time.monotonic()))
        client.post(f"/api/v1/outages/{outage_id}/restore", json={}).raise_for_status()
    return outage_id


def _settle(url: str, outage_id: int, limit: float = 180.0) -> int:
    """Wait until every heating appeal has heard the restoration (or the limit); returns those still open."""
    sql = "SELECT count(*) FROM appeal WHERE category = 'heating' AND status NOT IN ('resolved', 'closed')"
    deadline = time.monotonic() + limit
    left = _count(url, sql)
    while left and time.monotonic() < deadline:
        time.sleep(2)
        left = _count(url, sql)
    return left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1200)
    parser.add_argument("--buildings", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    emit({"benchmark": "badday", **run(args.appeals, args.buildings, args.seconds)})


if __name__ == "__main__":
    main()
