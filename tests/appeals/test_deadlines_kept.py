"""Both deadlines are kept for ever: acceptance and resolution, when each was met and whether it was breached;
the overdue filter finds closed appeals that were late (SQLite and PostgreSQL)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.web.helpers import login, user_with_token
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of


@pytest.fixture
def city_app(any_db_url: str, tmp_path: Path) -> Iterator[tuple[Flask, City]]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application, build_city()
        db.session.remove()


def _step(client: FlaskClient, who: dict[str, str], appeal_id: int, name: str, **data: Any) -> None:
    [task] = client.get(f"/api/v1/tasks?appeal_id={appeal_id}&name={name}", headers=who).get_json()["items"]
    assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=who, json={"data": data}).status_code == 200


def test_a_late_acceptance_stays_on_record_after_the_appeal_is_closed(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    clock: FakeClock = services_of(app).clock
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))  # Monday 12:00 in Tambov
    client = app.test_client()
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    staff = user_with_token("uk_staff", "org_staff", city.uk1)
    body = {"text": "Течёт крыша над кухней", "channel": "phone", "building_id": city.sovetskaya_45.id,
            "category": "roof", "emergency": False}
    late = client.post("/api/v1/appeals", headers=dispatcher, json=body).get_json()
    on_time = client.post("/api/v1/appeals", headers=dispatcher, json={**body, "text": "Протекает водосток"}
                          ).get_json()
    _step(client, staff, on_time["id"], "accept", decision="accept")
    clock.advance(timedelta(days=2))  # the acceptance day has passed
    _step(client, staff, late["id"], "accept", decision="accept")
    _step(client, staff, late["id"], "resolve", result="resolved", comment="залатали")
    client.post(f"/api/v1/appeals/{late['id']}/confirmation", headers=dispatcher, json={"answer": "fixed"})
    shown = client.get(f"/api/v1/appeals/{late['id']}", headers=dispatcher).get_json()
    assert shown["status"] == "closed"
    assert shown["accept_due_at"] == datetime(2026, 11, 3, 9, 0, tzinfo=UTC).isoformat()  # not overwritten
    assert shown["accepted_at"] == datetime(2026, 11, 4, 9, 0, tzinfo=UTC).isoformat()
    assert shown["resolve_due_at"] == datetime(2026, 11, 17, 9, 0, tzinfo=UTC).isoformat()  # 10 working days, 4 Nov off
    assert (shown["accept_breached"], shown["resolve_breached"]) == (True, False)
    overdue = client.get("/api/v1/appeals?overdue=true", headers=dispatcher).get_json()["items"]
    assert [a["id"] for a in overdue] == [late["id"]]  # closed, but it was late

    user_with_token("coord", "coordinator", city.cgds)
    login(client, "coord")
    page = client.get("/appeals?overdue=1").get_data(as_text=True)
    assert late["number"] in page and on_time["number"] not in page and "с нарушением: " in page
    sheet = load_workbook(BytesIO(client.get("/appeals/export.xlsx").data)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(header, next(r for r in rows if r[0] == late["number"]), strict=True))
    assert row["Срок принятия нарушен"] == "да" and row["Срок устранения нарушен"] == "нет"
    assert row["Срок принятия"].strftime("%d.%m.%Y %H:%M") == "03.11.2026 12:00"
    assert row["Принято"].strftime("%d.%m.%Y %H:%M") == "04.11.2026 12:00"
