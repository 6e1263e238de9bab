"""Administration screens over HTTP: rollout waves, representatives, buildings without one; who may open them;
Russian field errors; the audit trail; the ledger's building picked by address; the public list's districts."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.appeals.city import City
from tests.outages.helpers import register, representative, street, wave
from tests.web.helpers import csrf_token, login
from workflows.accounts.service import create_user
from workflows.audit.models import AuditEntry
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.outages.models import Consent, Representative
from workflows.outages.waves import switch_due_waves
from workflows.registry.models import Building, RolloutWave
from workflows.services import services_of

PASSWORD = "Correct-horse-1"


def _client(app: Flask, login_name: str, role: str, org_id: int | None = None) -> FlaskClient:
    create_user(login_name, role, org_id, PASSWORD)
    g.pop("csrf_token", None)  # the tests' app context outlives requests: a new client needs its own token
    client = app.test_client()
    login(client, login_name)
    return client


def _token(client: FlaskClient, url: str) -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def test_only_admins_open_the_wave_screens(app: Flask, city: City) -> None:
    staff = _client(app, "uk", "org_staff", city.uk1.id)
    assert staff.get("/staff/waves").status_code == 403
    assert "Недостаточно прав" in staff.get("/staff/waves/1").get_data(as_text=True)
    coordinator = _client(app, "coord", "coordinator", city.cgds.id)
    assert coordinator.get("/staff/waves").status_code == 403
    assert coordinator.post("/staff/waves/new", data={"name": "x"}).status_code in (400, 403)
    assert db.session.scalar(select(RolloutWave).where(RolloutWave.name == "x")) is None


def test_a_wave_is_created_filled_scheduled_and_switched_on_by_the_sweep(app: Flask, city: City,
                                                                         clock: FakeClock) -> None:
    other = street("Садовая", 3, city.uk2, {}, wave("Старая", False), district="Октябрьский")
    representative(other[0], 7001)
    admin = _client(app, "boss", "admin")
    token = _token(admin, "/staff/waves")
    empty = admin.post("/staff/waves/new", data={"csrf_token": token, "name": ""})
    assert empty.status_code == 422 and "Заполните это поле" in empty.get_data(as_text=True)
    clash = admin.post("/staff/waves/new", data={"csrf_token": token, "name": "Волна 1"})
    assert clash.status_code == 422 and "волна с таким названием уже есть" in clash.get_data(as_text=True)
    created = admin.post("/staff/waves/new", data={"csrf_token": token, "name": "Волна 2: Октябрьский"})
    assert created.status_code == 302
    new = db.session.scalars(select(RolloutWave).where(RolloutWave.name == "Волна 2: Октябрьский")).one()
    page = f"/staff/waves/{new.id}"
    token = _token(admin, page)

    nothing = admin.post(f"{page}/buildings", data={"csrf_token": token})
    assert nothing.status_code == 422
    assert "Выберите район, управляющую компанию или впишите адреса" in nothing.get_data(as_text=True)
    bad_choice = admin.post(f"{page}/buildings", data={"csrf_token": token, "district": "Марсианский"})
    assert bad_choice.status_code == 422 and "Неверный вариант" in bad_choice.get_data(as_text=True)

    by_district = admin.post(f"{page}/buildings", data={"csrf_token": token, "district": "Октябрьский"})
    assert by_district.status_code == 302
    assert {b.wave_id for b in other} == {new.id}
    listed = admin.post(f"{page}/buildings", data={"csrf_token": token,
                                                   "addresses": "Советская 45\nЛунная 1000"})
    body = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "Лунная 1000" in body and "Не распознаны адреса" in body
    db.session.expire_all()
    assert db.session.get(Building, city.sovetskaya_45.id).wave_id == new.id
    assert db.session.get(Building, city.sovetskaya_47.id).wave_id != new.id
    by_company = admin.post(f"{page}/buildings", data={"csrf_token": token, "organization_id": str(city.uk2.id)})
    assert by_company.status_code == 302
    db.session.expire_all()
    assert db.session.get(Building, city.michurinskaya_112.id).wave_id == new.id

    coverage = admin.get(page).get_data(as_text=True)
    assert "Домов в волне: <strong>5</strong>" in coverage and "с представителем: <strong>1</strong>" in coverage
    assert "ул. Садовая, д. 3" in coverage and "ул. Садовая, д. 1<" not in coverage

    past = (clock.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = admin.post(f"{page}/schedule", data={"csrf_token": token, "switch_on_at": past})
    assert refused.status_code == 422 and "должно быть в будущем" in refused.get_data(as_text=True)
    garbage = admin.post(f"{page}/schedule", data={"csrf_token": token, "switch_on_at": "завтра"})
    assert garbage.status_code == 422 and "Неверное значение даты и времени" in garbage.get_data(as_text=True)
    later = (clock.now() + timedelta(hours=2)).astimezone(_zone()).strftime("%Y-%m-%dT%H:%M")
    assert admin.post(f"{page}/schedule", data={"csrf_token": token, "switch_on_at": later}).status_code == 302
    assert "включатся" in admin.get("/staff/waves").get_data(as_text=True)
    assert switch_due_waves() == 0
    clock.advance(timedelta(hours=2, minutes=1))
    assert switch_due_waves() == 1
    db.session.expire_all()
    assert db.session.get(RolloutWave, new.id).enabled is True
    assert db.session.get(Building, city.sovetskaya_45.id).notifications_enabled

    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.subject == f"wave:{new.id}")
                                                    .order_by(AuditEntry.id))]
    assert actions == ["wave_create", "wave_buildings", "wave_buildings", "wave_buildings", "wave_schedule",
                       "wave_on"]


def _zone():  # type: ignore[no-untyped-def]
    from workflows.outages.intervals import zone

    return zone()


def test_representatives_are_listed_added_deactivated_and_invited_again(app: Flask, city: City) -> None:
    rep = representative(city.sovetskaya_45, 8101)
    staff = _client(app, "ukstaff", "org_staff", city.uk1.id)
    found = staff.get("/staff/representatives", query_string={"address": "Советская 45"})
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and "ул. Советская, д. 45" in page and "8101" in page and "дано " in page
    token = csrf_token(page)
    url = f"/staff/representatives/{city.sovetskaya_45.id}/add"
    no_consent = staff.post(url, data={"csrf_token": token, "role": "chair", "channel": "telegram",
                                       "address": "8102"})
    assert no_consent.status_code == 422
    assert "Без согласия представителя добавить нельзя" in no_consent.get_data(as_text=True)
    bad_channel = staff.post(url, data={"csrf_token": token, "role": "chair", "channel": "pigeon", "address": "1",
                                        "consent": "y"})
    assert bad_channel.status_code == 422 and "Неверный вариант" in bad_channel.get_data(as_text=True)
    too_long = staff.post(url, data={"csrf_token": token, "role": "chair", "channel": "telegram",
                                     "address": "9" * 201, "consent": "y"})
    assert too_long.status_code == 422 and "Не длиннее 200 символов" in too_long.get_data(as_text=True)
    added = staff.post(url, data={"csrf_token": token, "name": "Иванова", "role": "chair", "channel": "telegram",
                                  "address": "8102", "consent": "y"})
    assert added.status_code == 302
    new = db.session.scalars(select(Representative).where(Representative.address == "8102")).one()
    assert db.session.scalars(select(Consent).where(Consent.representative_id == new.id)).one().given_by_id

    assert staff.post(f"/staff/representatives/person/{rep.id}/invite", data={"csrf_token": token}).status_code == 302
    invite = db.session.scalars(select(OutboxMessage).where(OutboxMessage.notice_key.like(f"invite:{rep.id}:%"))).one()
    assert "ул. Советская, д. 45" in invite.text and "t.me/" in invite.text
    assert staff.post(f"/staff/representatives/person/{rep.id}/deactivate",
                      data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Representative, rep.id).active is False
    again = staff.post(f"/staff/representatives/person/{rep.id}/deactivate", data={"csrf_token": token})
    assert again.status_code == 409 and "уже отключён" in again.get_data(as_text=True)
    actions = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert {"rep_add", "rep_invite", "rep_deactivate"} <= actions


def test_staff_of_another_organisation_cannot_touch_a_building(app: Flask, city: City) -> None:
    rep = representative(city.michurinskaya_112, 8201)  # managed by УК Северная
    staff = _client(app, "ukstaff", "org_staff", city.uk1.id)
    assert staff.get(f"/staff/representatives?building_id={city.michurinskaya_112.id}").status_code == 403
    token = _token(staff, "/staff/representatives")
    assert staff.post(f"/staff/representatives/person/{rep.id}/deactivate",
                      data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Representative, rep.id).active is True
    uncovered = staff.get("/staff/uncovered").get_data(as_text=True)
    assert "ул. Советская, д. 45" in uncovered and "Мичуринская" not in uncovered
    assert staff.get("/staff/representatives/person/1/deactivate").status_code == 405
    dispatcher = _client(app, "disp", "dispatcher", city.cgds.id)
    assert dispatcher.get("/staff/uncovered").status_code == 403


def test_buildings_without_a_representative_export_and_print(app: Flask, city: City) -> None:
    representative(city.sovetskaya_45, 8301)
    coordinator = _client(app, "coord", "coordinator", city.cgds.id)
    page = coordinator.get("/staff/uncovered").get_data(as_text=True)
    assert "ул. Советская, д. 47" in page and "ул. Советская, д. 45" not in page
    csv = coordinator.get("/staff/uncovered.csv")
    text = csv.data.decode("utf-8-sig")
    assert csv.status_code == 200 and text.startswith("Адрес;Район") and "ул. Советская, д. 47" in text
    assert "https://t.me/" in text and "ул. Советская, д. 45" not in text
    xlsx = coordinator.get("/staff/uncovered.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    printed = coordinator.get("/staff/uncovered/print", query_string={"district": "Ленинский"}).get_data(as_text=True)
    assert printed.count('class="sheet"') == 3 and "Код приглашения" in printed
    assert "<script" not in printed and "style=" not in printed
    coverage = coordinator.get("/staff/coverage").get_data(as_text=True)
    assert '/staff/uncovered?district=%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D1%81%D0%BA%D0%B8%D0%B9">3</a>' in coverage


def test_the_ledger_picks_a_building_by_address(app: Flask, city: City, clock: FakeClock) -> None:
    register(city.water, [city.sovetskaya_45, city.michurinskaya_112], clock.now() - timedelta(hours=2), 5)
    admin = _client(app, "boss", "admin")
    page = admin.get("/staff/ledger", query_string={"address": "Мичуринская 112"}).get_data(as_text=True)
    assert "ул. Мичуринская, д. 112 ·" in page and "ул. Советская, д. 45 ·" not in page
    assert "Дом (id)" not in page and "номер в реестре" not in page
    missing = admin.get("/staff/ledger", query_string={"address": "Лунная 1000"})
    assert missing.status_code == 422 and "Адрес не найден" in missing.get_data(as_text=True)
    many = admin.get("/staff/ledger", query_string={"address": "Советская"})
    assert many.status_code == 422 and "Уточните дом" in many.get_data(as_text=True)


def test_the_public_list_puts_each_building_under_its_own_district(app: Flask, city: City,
                                                                    clock: FakeClock) -> None:
    rollout = db.session.scalars(select(RolloutWave)).first()
    assert rollout is not None
    october = street("Полевая", 1, city.uk2, {}, rollout, district="Октябрьский")
    register(city.water, [city.sovetskaya_45, october[0]], clock.now() - timedelta(hours=1), 4)
    page = app.test_client().get("/outages").get_data(as_text=True)
    lenin = page.index("Ленинский район")
    octo = page.index("Октябрьский район")
    first, second = (page[lenin:octo], page[octo:]) if lenin < octo else (page[lenin:], page[octo:lenin])
    assert "Советская" in first and "Полевая" not in first
    assert "Полевая" in second and "Советская" not in second


def test_the_minute_task_switches_on_a_scheduled_wave(app: Flask, city: City, clock: FakeClock) -> None:
    from workflows.outages import waves

    admin = create_user("boss", "admin", None, PASSWORD)
    later = wave("Поздняя", False)
    waves.schedule(later.id, clock.now() + timedelta(minutes=30), admin)
    task = services_of(app).tasks["rollout_wave_switch"]
    assert task.call_local() == 0
    clock.advance(timedelta(minutes=31))
    assert task.call_local() == 1
    db.session.expire_all()
    switched = db.session.get(RolloutWave, later.id)
    assert switched is not None and switched.enabled and switched.switch_on_at is None
