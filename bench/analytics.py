"""Analytics benchmark: the operations board and `GET /api/v1/stats` (last 30 days, by organisation) at
100,000 and 1,000,000 appeals in PostgreSQL, median and p95.

The appeals and their history are written straight into the tables with COPY (a year of appeals with the
events the figures read: registered, deadlines, accepted, resolved, reopened, escalated), then the per-appeal
figures table (`appeal_stat`, kept current incrementally in normal operation) is rebuilt once and vacuumed (as
autovacuum would after the load) — the processes are not run here, it measures reading. Prints one JSON line.

Run: `.venv/bin/python bench/analytics.py [--sizes 100000,1000000] [--repeat 30] [--database URL]`.
`--database` keeps the appeals between runs: an existing PostgreSQL database (created empty beforehand) is filled
only up to the sizes it lacks and is not dropped, so a second run at 1,000,000 skips the few minutes of loading.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database, emit, postgres_available, timings_ms  # noqa: E402
from workflows.services import services_of

CATEGORIES = ["heating", "hot_water", "cold_water", "elevator", "roof", "yard", "entrance", "waste", "billing"]
CHANNELS = ["phone", "ads", "telegram", "max", "vk", "web", "open311", "api"]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAYS = 365


def _appeal_rows(count: int, buildings: list[tuple[int, int]], start_id: int, rng: random.Random) -> tuple[
        list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    appeals, events = [], []
    for n in range(count):
        appeal_id = start_id + n
        building_id, org_id = rng.choice(buildings)
        created = NOW - timedelta(seconds=rng.randrange(DAYS * 86400))
        accept_due, resolve_due = created + timedelta(hours=24), created + timedelta(days=3)
        accepted = created + timedelta(minutes=rng.randint(5, 2000)) if rng.random() < 0.95 else None
        resolved = accepted + timedelta(hours=rng.uniform(1, 100)) if accepted and rng.random() < 0.9 else None
        if resolved is not None and resolved > NOW:
            resolved = None
        status = "closed" if resolved else ("accepted" if accepted else "assigned")
        due = resolve_due if accepted else accept_due
        appeals.append((appeal_id, f"B-{appeal_id:08d}", rng.choice(CHANNELS), "текст", rng.choice(CATEGORIES),
                        True, rng.random() < 0.1, building_id, org_id, status, due, accept_due, resolve_due, 0, 0,
                        created, accepted, resolved))
        events.append((appeal_id, created, "registered", None))
        events.append((appeal_id, created, "deadlines", json.dumps({"resolve_due_at": resolve_due.isoformat()})))
        if accepted:
            events.append((appeal_id, accepted, "accepted", None))
        if resolved:
            events.append((appeal_id, resolved, "resolved", None))
            if rng.random() < 0.05:
                events.append((appeal_id, resolved + timedelta(hours=5), "reopened", None))
        if (accepted or NOW) > accept_due or (resolved or NOW) > resolve_due:
            events.append((appeal_id, min(NOW, resolve_due), "escalated", json.dumps({"level": 1})))
    return appeals, events


def _fill(total: int, already: int, rng: random.Random) -> float:
    """Add appeals until there are `total`; returns the seconds it took."""
    from sqlalchemy import select, text

    from workflows.db import db
    from workflows.registry.models import Building

    started = time.perf_counter()
    buildings = [(b, o or 0) for b, o in db.session.execute(select(Building.id, Building.management_org_id))]
    connection = db.session.connection().connection.driver_connection
    columns = ("id, number, channel, text, category, category_confirmed, emergency, building_id, organization_id, "
               "status, due_at, accept_due_at, resolve_due_at, escalation_level, refusals, created_at, accepted_at, "
               "resolved_at")
    for chunk_start in range(already, total, 50_000):
        appeals, events = _appeal_rows(min(50_000, total - chunk_start), buildings, chunk_start + 1, rng)
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY appeal ({columns}) FROM STDIN") as copy:
                for row in appeals:
                    copy.write_row(row)
            with cursor.copy("COPY appeal_event (appeal_id, at, kind, data) FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
        db.session.commit()
        connection = db.session.connection().connection.driver_connection
    from workflows.stats.tracking import rebuild

    rebuild()  # COPY bypasses the session that keeps appeal_stat current: recompute it once
    db.session.commit()
    # what autovacuum does after a bulk insert: statistics and the visibility map (index-only scans need it)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def _run(url: str, sizes: list[int], repeat: int, figures: dict[str, Any]) -> None:
    from sqlalchemy import func, select

    from tests.conftest import make_app  # noqa: PLC0415 - the app factory with a fake clock
    from workflows.accounts.models import User
    from workflows.accounts.service import create_user
    from workflows.appeals.models import Appeal
    from workflows.db import db
    from workflows.demo import generate_city
    from workflows.registry.models import Building
    from workflows.stats.board import board
    from workflows.stats.figures import stats
    from workflows.stats.period import parse_period

    app = make_app(Path("/tmp"), url)
    services_of(app).clock.set(NOW)
    with app.app_context():
        if not db.session.scalar(select(func.count()).select_from(Building)):
            generate_city(2000)
            db.session.commit()
        official = db.session.scalar(select(User).where(User.role == "official").limit(1)) \
            or create_user("bench_official", "official", None, "Bench-pass-123")
        have = int(db.session.scalar(select(func.count()).select_from(Appeal)) or 0)
        rng = random.Random(15 + have)
        for size in sorted(sizes):
            if size < have:
                figures[f"skipped_{size}"] = f"the database already holds {have} appeals"
                continue
            figures[f"fill_{size}_s"] = round(_fill(size, have, rng), 1) if size > have else 0.0
            have = size
            period = parse_period(None, None)
            figures[f"stats_{size}"] = timings_ms(lambda p=period: stats(official, p, "organization"), repeat)
            figures[f"board_{size}"] = timings_ms(board, repeat)
            db.session.rollback()
        db.session.remove()


def measure(sizes: list[int], repeat: int, url: str | None = None) -> dict[str, Any]:
    figures: dict[str, Any] = {"machine": "shared 2-core VM, PostgreSQL on the same machine"}
    if url:
        _run(url, sizes, repeat, figures)
        return figures
    with database("postgres") as fresh:
        _run(fresh, sizes, repeat, figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default=None, help="an existing PostgreSQL URL to fill and keep")
    args = parser.parse_args()
    if not postgres_available():
        emit({"error": "PostgreSQL does not answer"})
        return
    emit(measure([int(s) for s in args.sizes.split(",")], args.repeat, args.database))


if __name__ == "__main__":
    main()
