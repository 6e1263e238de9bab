"""The inbox for every role: appeal columns, filters, claim and complete, and the live-refresh fragment."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.web.helpers import csrf_token
from tests.web.screen_helpers import ScreenClient, client_as, register
from workflows.appeals.models import Appeal
from workflows.clock import FakeClock
from workflows.db import db


@pytest.fixture
def city(app: Flask) -> City:
    city = build_city()
    client_as(app, "disp", "dispatcher", city.cgds)
    return city


def test_the_inbox_shows_number_address_category_and_time_left(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    page = client_as(app, "uk1", "org_staff", city.uk1).get("/inbox").get_data(as_text=True)
    assert f"№ {appeal.number}" in page and "ул. Советская, д. 45" in page
    assert "Кровля и водостоки" in page and "осталось" in page


def test_inbox_filters_by_task_category_overdue_and_mine(app: Flask, city: City, clock: FakeClock) -> None:
    roof = register(city.sovetskaya_45.id)
    clock.advance(timedelta(days=5))
    door = register(city.sovetskaya_47.id, text="Сломан домофон", category="entrance")
    client = client_as(app, "uk1", "org_staff", city.uk1)

    def shown(query: str) -> set[str]:
        page = client.get(f"/inbox?{query}").get_data(as_text=True)
        return {a.number for a in (roof, door) if a.number in page}

    assert shown("") == {roof.number, door.number}
    assert shown("category=entrance") == {door.number}
    assert shown("overdue=1") == {roof.number}
    assert shown("name=resolve") == set()
    assert shown("mine=1") == set()
    page = client.get("/inbox").get_data(as_text=True)
    assert page.index(roof.number) < page.index(door.number)  # overdue first


def test_claim_and_complete_from_the_inbox(app: Flask, city: City) -> None:
    appeal = register(city.sovetskaya_45.id)
    client = client_as(app, "uk1", "org_staff", city.uk1)
    inbox = client.get("/inbox").get_data(as_text=True)
    task_id = int(inbox.split('data-task="')[1].split('"')[0])
    claimed = client.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf_token(inbox),
                                                           "next": f"/tasks/{task_id}"})
    assert claimed.status_code == 302
    assert appeal.number in client.get("/inbox?mine=1").get_data(as_text=True)
    form = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    done = client.post(f"/tasks/{task_id}", data={"csrf_token": csrf_token(form), "decision": "accept"})
    assert done.status_code == 302
    assert db.session.get(Appeal, appeal.id).status == "accepted"


def test_the_live_refresh_endpoint_answers_rows_and_counts(app: Flask, city: City, clock: FakeClock) -> None:
    appeal = register(city.sovetskaya_45.id)
    client = client_as(app, "uk1", "org_staff", city.uk1)
    fresh = client.get("/inbox/live").get_json()
    assert set(fresh) == {"html", "count", "overdue", "refreshed_at"}
    assert fresh["count"] == 1 and fresh["overdue"] == 0 and appeal.number in fresh["html"]
    assert fresh["html"].lstrip().startswith("<tr")
    clock.advance(timedelta(days=30))
    assert client.get("/inbox/live?overdue=1").get_json()["overdue"] == 1
    assert client.get("/inbox/live?category=entrance").get_json()["count"] == 0
    other = client_as(app, "uk2", "org_staff", city.uk2).get("/inbox/live").get_json()
    assert other["count"] == 0 and appeal.number not in other["html"]
    assert ScreenClient(app, app.response_class).get("/inbox/live").status_code == 302  # signed out
