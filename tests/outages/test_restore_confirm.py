"""«Подача восстановлена» on the outage card asks for confirmation before anything is announced."""
from __future__ import annotations

from flask import Flask

from tests.appeals.city import City
from tests.outages.helpers import register
from tests.web.helpers import csrf_token, login
from workflows.accounts.service import create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages.models import Outage

PASSWORD = "Correct-horse-1"


def test_restoration_needs_the_confirmation_page(app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 5)
    create_user("water", "org_staff", city.water.id, PASSWORD)
    client = app.test_client()
    login(client, "water")
    card = client.get(f"/staff/outages/{outage.id}").get_data(as_text=True)
    assert f'method="get" action="/staff/outages/{outage.id}/restore"' in card

    page = client.get(f"/staff/outages/{outage.id}/restore")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Подача восстановлена?" in text and "Да, подача восстановлена" in text
    assert "получат уведомление о восстановлении" in text
    token = csrf_token(text)

    unconfirmed = client.post(f"/staff/outages/{outage.id}/restore", data={"csrf_token": token})
    assert unconfirmed.status_code == 200 and "Да, подача восстановлена" in unconfirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Outage, outage.id).restored_at is None

    done = client.post(f"/staff/outages/{outage.id}/restore", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/staff/outages/{outage.id}")
    db.session.expire_all()
    assert db.session.get(Outage, outage.id).restored_at is not None
    after = client.get(f"/staff/outages/{outage.id}/restore").get_data(as_text=True)
    assert "восстанавливать нечего" in after and "restore-yes" not in after


def test_a_stranger_cannot_open_the_confirmation(app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 5)
    create_user("heat", "org_staff", city.heat.id, PASSWORD)
    client = app.test_client()
    login(client, "heat")
    assert client.get(f"/staff/outages/{outage.id}/restore").status_code in (403, 404)
