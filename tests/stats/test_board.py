"""The operations board: what it counts, where each figure links, who lands on it, its live refresh."""
from __future__ import annotations

from flask import Flask, g

from tests.appeals.city import City
from tests.stats.seed import seed
from tests.web.helpers import PASSWORD, login
from workflows.accounts.service import create_token, create_user
from workflows.clock import FakeClock
from workflows.stats.board import board, board_counts


def test_board_counts_what_waits_now(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    data = board()
    # overdue now: A4, A5 and E1 (all УК1); escalations waiting: A4 and E1 (acceptance), A2 and A5 (resolution)
    assert [(row.organization_id, row.count) for row in data.overdue] == [(db_city.uk1.id, 3)]
    assert [(row.organization_id, row.count) for row in data.escalations] == [(db_city.uk1.id, 4)]
    assert board_counts(data) == {"emergencies": 0, "overdue": 3, "escalations": 4, "outages_current": 0,
                                  "outages_planned": 0, "incidents": 0, "social_waiting": 0,
                                  "registered_today": 0, "resolved_today": 1}


def test_each_board_figure_links_to_the_same_list(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    create_user("official", "official", db_city.city.id, PASSWORD, full_name="Сидоров В. М.")
    client = db_app.test_client()
    login(client, "official")
    html = client.get("/board").get_data(as_text=True)
    link = f'/appeals?overdue=1&amp;working=1&amp;organization_id={db_city.uk1.id}">3</a>'
    assert link in html and "Оперативная обстановка" in html
    # the board counts what still waits for the organisation's work; the registry's "overdue" alone also
    # finds closed appeals that were late (issue 17), so the link adds "working"
    listed = client.get(f"/api/v1/appeals?overdue=true&working=true&organization_id={db_city.uk1.id}",
                        headers={"Authorization": f"Bearer {create_token('official')}"}).get_json()
    assert listed["total"] == 3
    live = client.get("/board/live").get_json()
    assert live["counts"]["overdue"] == 3 and link in live["html"]


def test_officials_and_coordinators_land_on_the_board(db_app: Flask, db_city: City) -> None:
    create_user("official", "official", db_city.city.id, PASSWORD)
    create_user("staff", "org_staff", db_city.uk1.id, PASSWORD)
    official, staff = db_app.test_client(), db_app.test_client()
    login(official, "official")
    assert official.get("/").headers["Location"] == "/board"
    g.pop("csrf_token", None)  # the test's app context outlives requests: a second client needs its own token
    login(staff, "staff")
    assert staff.get("/").headers["Location"] == "/inbox"
    assert staff.get("/board").status_code in (302, 403)
