"""`GET /api/v1/stats` on a seeded set with hand-counted figures (see tests/stats/seed.py)."""
from __future__ import annotations

from typing import Any

from flask import Flask

from tests.appeals.city import City
from tests.stats.seed import seed
from workflows.accounts.service import create_token, create_user
from workflows.clock import FakeClock

UK1 = {"registered": 6, "accepted": 5, "resolved": 3, "resolved_on_time": 2, "overdue_open": 2, "reopened": 2,
       "escalated": 3, "median_accept_minutes": 60.0, "median_resolve_hours": 5.0}
UK2 = {"registered": 1, "accepted": 1, "resolved": 1, "resolved_on_time": 1, "overdue_open": 0, "reopened": 0,
       "escalated": 0, "median_accept_minutes": 60.0, "median_resolve_hours": 8.0}
TOTALS = {"registered": 7, "accepted": 6, "resolved": 4, "resolved_on_time": 3, "overdue_open": 2, "reopened": 2,
          "escalated": 3, "median_accept_minutes": 60.0, "median_resolve_hours": 6.5}
FIGURES = tuple(UK1)


def _headers(login: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(login)}"}


def _figures(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in FIGURES}


def _stats(app: Flask, login: str, query: str) -> dict[str, Any]:
    answer = app.test_client().get(f"/api/v1/stats?{query}", headers=_headers(login))
    assert answer.status_code == 200, answer.get_json()
    body: dict[str, Any] = answer.get_json()
    return body


def test_figures_by_organisation_match_the_hand_count(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    create_user("official", "official", db_city.city.id, "Correct-horse-1")
    body = _stats(db_app, "official", "from=2026-11-02&to=2026-11-02&group=organization")
    assert [item["key"] for item in body["items"]] == [{"id": db_city.uk1.id, "name": db_city.uk1.name},
                                                      {"id": db_city.uk2.id, "name": db_city.uk2.name}]
    assert _figures(body["items"][0]) == UK1
    assert _figures(body["items"][1]) == UK2
    assert _figures(body["totals"]) == TOTALS


def test_figures_by_category_and_district(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    create_user("coord", "coordinator", db_city.cgds.id, "Correct-horse-1")
    by_category = _stats(db_app, "coord", "from=2026-11-02&to=2026-11-02&group=category")
    assert [(i["key"], i["registered"], i["resolved"], i["overdue_open"]) for i in by_category["items"]] == [
        ("roof", 1, 0, 0), ("yard", 6, 4, 2)]
    by_district = _stats(db_app, "coord", "from=2026-11-02&to=2026-11-02&group=district")
    assert [(i["key"], i["registered"], i["escalated"]) for i in by_district["items"]] == [
        ({"id": "Ленинский", "name": "Ленинский"}, 6, 3), ({"id": "Октябрьский", "name": "Октябрьский"}, 1, 0)]
    assert _figures(by_district["totals"]) == TOTALS


def test_a_wider_period_counts_the_days_around(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    create_user("official", "official", db_city.city.id, "Correct-horse-1")
    body = _stats(db_app, "official", "from=2026-11-01&to=2026-11-03")
    assert body["totals"]["registered"] == 9
    assert body["items"][0]["key"]["id"] == db_city.uk1.id and body["items"][0]["registered"] == 8


def test_organisation_staff_see_only_their_own_row(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seeded = seed(db_city, db_clock)
    body = _stats(db_app, seeded.uk2_staff.login, "from=2026-11-02&to=2026-11-02")
    assert [item["key"]["id"] for item in body["items"]] == [db_city.uk2.id]
    assert _figures(body["items"][0]) == UK2 and _figures(body["totals"]) == UK2
    by_category = _stats(db_app, seeded.uk1_staff.login, "from=2026-11-02&to=2026-11-02&group=category")
    assert sum(i["registered"] for i in by_category["items"]) == 6


def test_bad_input_gets_a_russian_4xx(db_app: Flask, db_city: City) -> None:
    create_user("official", "official", db_city.city.id, "Correct-horse-1")
    create_user("designer", "designer", None, "Correct-horse-1")
    client = db_app.test_client()
    for query in ("from=2026-13-01", "from=2026-11-05&to=2026-11-01", "group=street", "to=вчера"):
        answer = client.get(f"/api/v1/stats?{query}", headers=_headers("official"))
        assert answer.status_code == 422, query
        assert answer.get_json()["error"] == "validation_failed" and answer.get_json()["details"]
    assert client.get("/api/v1/stats", headers=_headers("designer")).status_code == 403
    assert client.get("/api/v1/stats").status_code == 401


def test_the_incremental_figures_table_equals_a_rebuild(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    from sqlalchemy import select

    from workflows.db import db
    from workflows.stats.models import AppealStat
    from workflows.stats.tracking import rebuild

    seed(db_city, db_clock)

    def table() -> list[tuple[Any, ...]]:
        columns = [c for c in AppealStat.__table__.columns]
        return [tuple(row) for row in db.session.execute(select(*columns).order_by(AppealStat.appeal_id))]

    incremental = table()
    assert len(incremental) == 9
    assert rebuild() == 9
    assert table() == incremental
    # the stored durations the SQL medians sort: exactly the seconds between the times on PostgreSQL
    exact = db.session.get_bind().dialect.name == "postgresql"
    stored = db.session.execute(select(AppealStat.created_at, AppealStat.accepted_at, AppealStat.accept_seconds,
                                       AppealStat.resolved_at, AppealStat.resolve_seconds)).all()
    assert any(r.accepted_at is not None for r in stored) and any(r.resolved_at is not None for r in stored)
    for r in stored:
        for later, seconds in ((r.accepted_at, r.accept_seconds), (r.resolved_at, r.resolve_seconds)):
            if later is None:
                assert seconds is None
            else:
                expected = (later - r.created_at).total_seconds()
                assert seconds == expected if exact else abs(seconds - expected) < 0.01
