"""The weekly rating: the published method on the seeded set; organisations under the minimum are not ranked."""
from __future__ import annotations

from datetime import date

from flask import Flask

from tests.appeals.city import City
from tests.stats.seed import seed
from workflows.clock import FakeClock
from workflows.stats.period import week_of
from workflows.stats.rating import weekly_rating


def test_rating_scores_by_the_method_and_leaves_small_organisations_unranked(
        db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    week = week_of(date(2026, 11, 4))  # Monday 2 – Sunday 8 November
    rows = weekly_rating(week)
    assert [(r.name, r.rank) for r in rows] == [(db_city.uk1.name, 1), (db_city.uk2.name, None)]
    uk1, uk2 = rows
    # УК1 in the week: A1..A5, D1 and E1 (Tuesday) = 7 appeals; 2 of 3 resolved on time; median 5 h of 72;
    # 2 reopened; 6 repeats (A1 repeats C1 of the Sunday before, A2..A5 and E1 repeat A1); 3 overdue now
    # (A4, A5, E1): 100 × (0.35·2/3 + 0.20·(1 − 5/72) + 0.15·(1 − 2/7) + 0.15·(1 − 6/7) + 0.15·(1 − 3/7)) = 63.4
    assert (uk1.figures.registered, uk1.repeats, uk1.figures.overdue_open, uk1.score) == (7, 6, 3, 63.4)
    assert (uk2.figures.registered, uk2.score) == (1, None)  # under the minimum of 5: shown, not ranked


def test_public_ratings_page_shows_the_method_and_no_personal_data(
        db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    page = db_app.test_client().get("/ratings?week=2026-11-04")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Неделя 02.11.2026 — 08.11.2026" in html and "Как считается рейтинг" in html
    assert "УК Центральная" in html and "УК Северная" in html
    assert "63.4" in html and "Мало обращений для рейтинга" in html
    for personal in ("Петров П. П.", "+79000000001", "Советская"):
        assert personal not in html
    assert db_app.test_client().get("/ratings?week=вчера").status_code == 422
