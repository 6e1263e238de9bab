"""The outage card names who registered the outage, who changed its expected end and who restored it."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.appeals.city import City
from tests.web.helpers import PASSWORD, user_with_token
from tests.web.screen_helpers import client_as
from workflows.accounts.service import create_token, create_user
from workflows.clock import FakeClock


def test_the_card_names_the_person_of_each_step(app: Flask, city: City, clock: FakeClock) -> None:
    create_user("water1", "org_staff", city.water.id, PASSWORD, full_name="Волков Пётр")
    first = {"Authorization": f"Bearer {create_token('water1')}"}
    second = user_with_token("water2", "org_head", city.water)
    client = app.test_client()
    created = client.post("/api/v1/outages", headers=first, json={
        "kind": "emergency", "resource": "cold_water", "organization_id": city.water.id,
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=3)).isoformat(),
        "description": "порыв", "addresses": ["Советская 45"]})
    assert created.status_code == 201, created.get_json()
    outage_id = created.get_json()["id"]
    assert client.patch(f"/api/v1/outages/{outage_id}", headers=second,
                        json={"ends_at": (clock.now() + timedelta(hours=6)).isoformat()}).status_code == 200
    assert client.post(f"/api/v1/outages/{outage_id}/restore", headers=first).status_code == 200
    page = client_as(app, "coord", "coordinator", city.cgds).get(f"/staff/outages/{outage_id}").get_data(as_text=True)
    journal = page[page.index('id="journal"'):]
    rows = journal.split("</tr>")
    assert "Зарегистрировано" in rows[1]
    assert "Волков Пётр (диспетчер организации, ООО" in rows[1] and "РКС-Тамбов" in rows[1]
    changed = next(r for r in rows if "Изменён ожидаемый срок" in r)
    assert "руководитель организации" in changed
    restored = next(r for r in rows if "Подача восстановлена" in r)
    assert "Волков Пётр" in restored
