"""Open data: one row per appeal of the period, the documented columns, no personal data, same figures."""
from __future__ import annotations

import csv
import io

from flask import Flask

from tests.appeals.city import City
from tests.stats.seed import seed
from workflows.clock import FakeClock
from workflows.stats.open_data import COLUMNS


def test_open_data_csv_has_no_personal_data(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    answer = db_app.test_client().get("/open-data/appeals.csv?from=2026-11-02&to=2026-11-02")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    assert len(rows) == 7  # the period's appeals; C1 (the day before) and E1 (after) are not in it
    for personal in ("Петров", "+7900", "Советская", "Течёт", "снег"):
        assert personal not in text
    on_time = sorted(r["on_time"] for r in rows)
    assert on_time == ["", "", "", "да", "да", "да", "нет"]  # the same 3 of 4 resolved in time as /api/v1/stats
    first = rows[0]
    assert first["registered_at"] == "2026-11-02T12:00+03:00" and first["district"] == "Ленинский"
    assert first["category_name"] == "Придомовая территория" and first["organization"] == db_city.uk1.name


def test_open_data_page_documents_the_columns(db_app: Flask) -> None:
    html = db_app.test_client().get("/open-data").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in html for name, _ in COLUMNS)
    assert db_app.test_client().get("/open-data/appeals.csv?from=2024-01-01&to=2026-01-01").status_code == 422
