"""Outage benchmark. Prints one JSON line.

(a) From registering an outage over 1,000 buildings with 3 representatives each to the last notice
accepted by the fake Telegram server (30 messages/s overall, as Telegram), divided by the floor that
rate sets (3,000 / 30 = 100 s); goal ≤ 1.15. The outbox is worked by an in-process huey worker.
(b) The public page's 95th percentile with 10,000 buildings and 500 current outages; goal < 50 ms.
Run: `python bench/outage.py [--skip-delivery]`.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database, emit, timings_ms  # noqa: E402
from workflows.services import services_of

BUILDINGS, REPS_PER_BUILDING, TELEGRAM_LIMIT = 1000, 3, 30
SEND_RATE = 28  # our own limiter stays under Telegram's 30/s so no send provokes a 429
CITY_BUILDINGS, CURRENT_OUTAGES, PER_OUTAGE = 10_000, 500, 20


def _app(url: str, **config: Any) -> Any:
    from web.app import create_app
    from workflows.db import db

    app = create_app({"DATABASE_URL": url, "QUEUE_URL": "memory://", "SECRET_KEY": "bench", "TESTING": True,
                      "DELIVERY_QUIET_HOURS": "off", **config})
    app.instance_path = tempfile.mkdtemp()
    with app.app_context():
        db.create_all()
    return app


def _city(buildings: int, reps: int) -> tuple[Any, list[int]]:
    """Organisations, `buildings` buildings in a wave that is on, `reps` representatives each; the diagrams."""
    from sqlalchemy import insert, select

    from tests.appeals.city import deploy_bundled
    from workflows.db import db
    from workflows.outages.models import Consent, Representative
    from workflows.registry.models import Building, BuildingSupplier, Organization, RolloutWave

    water = Organization(name="ООО «РКС-Тамбов»", kind="rso", resources=["cold_water"], phone="+74752000000")
    uk = Organization(name="УК", kind="uk", resources=[])
    wave = RolloutWave(name="Волна 1", enabled=True)
    db.session.add_all([water, uk, wave])
    db.session.flush()
    districts = ("Ленинский", "Октябрьский", "Советский")
    db.session.execute(insert(Building), [
        {"street_type": "ул", "street": f"Улица {i // 200}", "house": str(i % 200 + 1), "district": districts[i % 3],
         "address": f"ул. Улица {i // 200}, д. {i % 200 + 1}", "search_text": f"ул улица {i // 200} д {i % 200 + 1}",
         "management_org_id": uk.id, "wave_id": wave.id, "power_sources": 1, "dead_end_hot_water": False}
        for i in range(buildings)])
    ids = list(db.session.scalars(select(Building.id).order_by(Building.id)))
    db.session.execute(insert(BuildingSupplier), [
        {"building_id": b, "resource": "cold_water", "organization_id": water.id} for b in ids])
    now = datetime.now(UTC)
    if reps:
        db.session.execute(insert(Representative), [
            {"building_id": b, "name": "", "role": "chair", "channel": "telegram",
             "address": str(100000 + n * reps + k), "active": True, "joined_at": now}
            for n, b in enumerate(ids) for k in range(reps)])
        db.session.execute(insert(Consent), [{"representative_id": r, "given_at": now, "text_version": "bench",
                                              "channel": "api"} for r in db.session.scalars(select(Representative.id))])
    db.session.commit()
    deploy_bundled()
    return water, ids


def delivery_figures(url: str) -> dict[str, Any]:
    from tests.delivery.helpers import InProcessWorker, wait_until
    from tests.fakes.telegram_api import FakeTelegram
    from workflows.clock import SystemClock
    from workflows.outages import service

    with FakeTelegram(global_per_second=TELEGRAM_LIMIT) as fake:
        app = _app(url, QUEUE_IMMEDIATE=False, TELEGRAM_API_URL=fake.url, TELEGRAM_TOKEN=fake.token,
                   TELEGRAM_TIMEOUT=10, TELEGRAM_RATE=SEND_RATE)
        services_of(app).clock = SystemClock()
        total = BUILDINGS * REPS_PER_BUILDING
        with app.app_context():
            water, ids = _city(BUILDINGS, REPS_PER_BUILDING)
            now = datetime.now(UTC)
            payload = {"kind": "emergency", "resource": "cold_water", "organization_id": water.id,
                       "starts_at": now.isoformat(), "ends_at": (now + timedelta(hours=3)).isoformat(),
                       "description": "порыв магистрали", "building_ids": ids}
            with InProcessWorker(app, threads=8):
                started = time.monotonic()
                service.register_outage(payload, None)
                registered = time.monotonic() - started
                wait_until(lambda: len(fake.all_messages()) >= total, timeout=600, step=0.5)
            messages = fake.all_messages()
        last = max(m.time for m in messages)
        elapsed = last - started
        floor = total / TELEGRAM_LIMIT
        return {"notices": len(messages), "unique_chats": len({m.chat for m in messages}),
                "register_s": round(registered, 2), "last_notice_s": round(elapsed, 1), "floor_s": floor,
                "delivery_ratio": round(elapsed / floor, 3), "delivery_goal": 1.15,
                "telegram_429": fake.recorder.counter("429") if hasattr(fake, "recorder") else None,
                "max_per_second_seen": fake.max_per_second() if hasattr(fake, "max_per_second") else None}


def _current_outages(water: Any, ids: list[int]) -> None:
    from sqlalchemy import insert, select

    from workflows.db import db
    from workflows.outages.models import Outage, OutageBuilding
    from workflows.outages.texts import summarize
    from workflows.registry.models import Building

    now = datetime.now(UTC)
    for n in range(CURRENT_OUTAGES):
        chosen = ids[(n * PER_OUTAGE) % len(ids):(n * PER_OUTAGE) % len(ids) + PER_OUTAGE]
        buildings = list(db.session.scalars(select(Building).where(Building.id.in_(chosen))))
        outage = Outage(organization_id=water.id, kind="emergency" if n % 3 else "planned", resource="cold_water",
                        status="announced", description="ремонт сетей", starts_at=now + timedelta(hours=n % 48 - 24),
                        ends_at=now + timedelta(hours=n % 48 - 20), original_ends_at=now + timedelta(hours=4),
                        building_count=len(buildings), districts=sorted({b.district for b in buildings}),
                        summary=summarize(buildings), scope={}, created_at=now, updated_at=now)
        db.session.add(outage)
        db.session.flush()
        db.session.execute(insert(OutageBuilding), [{"outage_id": outage.id, "building_id": b.id,
                                                     "resource": "cold_water", "notified": True} for b in buildings])
    db.session.commit()


def public_page_figures(url: str) -> dict[str, Any]:
    from workflows.db import db

    app = _app(url, QUEUE_IMMEDIATE=True, RATELIMIT_ENABLED=False)  # 400 requests from one address
    with app.app_context():
        water, ids = _city(CITY_BUILDINGS, 0)
        _current_outages(water, ids)
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    client = app.test_client()
    target = ids[PER_OUTAGE * 3 + 1]

    def get(path: str) -> None:
        answer = client.get(path)
        assert answer.status_code == 200, answer.status_code

    get("/outages")  # warm the address index and templates
    get("/outages?address=Улица 3, 5")
    return {"public_city_page": timings_ms(lambda: get("/outages"), repeat=100),
            "public_building_page": timings_ms(lambda: get(f"/outages?building_id={target}"), repeat=100),
            "public_address_search": timings_ms(lambda: get("/outages?address=Улица 3, 5"), repeat=100),
            "public_json": timings_ms(lambda: get(f"/api/v1/public/outages?building_id={target}"), repeat=100),
            "public_goal_p95_ms": 50}


def main() -> None:
    figures: dict[str, Any] = {"buildings": BUILDINGS, "representatives": BUILDINGS * REPS_PER_BUILDING}
    with database("sqlite") as url:
        figures.update(public_page_figures(url))
    if "--skip-delivery" not in sys.argv:
        with database("sqlite") as url:
            figures.update(delivery_figures(url))
    emit(figures)


if __name__ == "__main__":
    main()
