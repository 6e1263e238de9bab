"""Representatives: enrolment by invitation link with consent as its own record, /stop, the limit, the API."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import callback, message
from tests.web.helpers import user_with_token
from workflows.db import db
from workflows.delivery import receive_update
from workflows.outages import representatives as reps
from workflows.outages.models import Consent, Representative


def _join(telegram: FakeTelegram, chat: int, token: str) -> str:
    receive_update("telegram", message(chat, f"/start {token}"))
    offer = telegram.messages_to(chat)[-1]
    assert "Согласен" in [b.text for b in offer.buttons]
    receive_update("telegram", callback(chat, offer.buttons[0].payload))
    return telegram.messages_to(chat)[-1].text


def test_an_invitation_link_enrols_with_consent_and_stop_leaves(app: Flask, city: City, telegram: FakeTelegram) -> None:
    token = reps.invitation(city.sovetskaya_45.id).token
    assert reps.invitation_links(token)["telegram"] == f"https://t.me/otklik_test_bot?start={token}"
    welcome = _join(telegram, 8101, token)
    assert welcome.startswith("Готово") and "ул. Советская, д. 45" in welcome
    rep = db.session.scalar(select(Representative).where(Representative.address == "8101"))
    assert rep is not None and rep.active and rep.building_id == city.sovetskaya_45.id and rep.channel == "telegram"
    [consent] = db.session.scalars(select(Consent).where(Consent.representative_id == rep.id)).all()
    assert consent.channel == "telegram" and consent.text_version == reps.CONSENT_VERSION and consent.given_at

    receive_update("telegram", message(8101, "/stop"))
    db.session.refresh(rep)
    db.session.refresh(consent)
    assert not rep.active and rep.left_at is not None and consent.withdrawn_at is not None


def test_the_leave_button_and_an_unknown_link(app: Flask, city: City, telegram: FakeTelegram) -> None:
    token = reps.invitation(city.sovetskaya_47.id).token
    _join(telegram, 8201, token)
    leave = telegram.messages_to(8201)[-1].buttons[0]
    assert leave.text == "Выйти"
    receive_update("telegram", callback(8202, leave.payload))  # someone else's button: nothing happens
    assert db.session.scalar(select(Representative.active).where(Representative.address == "8201")) is True
    receive_update("telegram", callback(8201, leave.payload))
    assert db.session.scalar(select(Representative.active).where(Representative.address == "8201")) is False
    receive_update("telegram", message(8203, "/start nonsense"))  # not an invitation: the resident bot's /start
    assert all("Согласен" not in [b.text for b in m.buttons] for m in telegram.messages_to(8203))


def test_a_building_takes_no_more_representatives_than_the_limit(app: Flask, city: City,
                                                                 telegram: FakeTelegram) -> None:
    app.config["OUTAGE_MAX_REPRESENTATIVES"] = 2
    token = reps.invitation(city.michurinskaya_112.id).token
    for chat in (8301, 8302, 8303):
        _join(telegram, chat, token)
    active = db.session.scalars(select(Representative.address).where(Representative.active.is_(True))).all()
    assert sorted(active) == ["8301", "8302"]


def test_staff_enrol_a_representative_through_the_api(app: Flask, city: City) -> None:
    headers = user_with_token("uk1-staff", "org_staff", city.uk1)
    other = user_with_token("uk2-staff", "org_staff", city.uk2)
    client = app.test_client()
    body = {"name": "Председатель совета", "role": "chair", "channel": "max", "address": "user:555", "consent": True}
    url = f"/api/v1/buildings/{city.sovetskaya_45.id}/representatives"
    created = client.post(url, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["id"] and data["active"] and data["consent"]["channel"] == "api"
    assert client.post(url, json=body, headers=headers).status_code == 409
    assert client.post(url, json={**body, "consent": False, "address": "user:556"}, headers=headers).status_code == 422
    assert client.post(url, json={**body, "address": "user:557"}, headers=other).status_code == 403
    assert client.post("/api/v1/buildings/999/representatives", json=body, headers=headers).status_code == 404
    assert client.post(url, data="nonsense", headers=headers).status_code == 422
