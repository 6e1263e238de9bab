"""Users, roles and organisations on screen: only admins change them, field errors in Russian, the audit log."""
from __future__ import annotations

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.helpers import PASSWORD, csrf_token, login
from workflows.accounts.models import User, WebSession
from workflows.accounts.service import check_password, create_user
from workflows.audit.models import AuditEntry
from workflows.db import db
from workflows.registry.models import Organization


def _org(name: str, kind: str = "uk", resources: list[str] | None = None) -> Organization:
    org = Organization(name=name, kind=kind, resources=resources or [])
    db.session.add(org)
    db.session.commit()
    return org


def _client(app: Flask, login_name: str, role: str, org_id: int | None = None) -> FlaskClient:
    create_user(login_name, role, org_id, PASSWORD)
    g.pop("csrf_token", None)  # the tests' app context outlives requests: a new client needs its own token
    client = app.test_client()
    login(client, login_name)
    return client


def test_non_admins_get_403_on_user_and_organisation_changes(app: Flask) -> None:
    uk = _org("ООО «УК Центральная»")
    for number, (role, org) in enumerate((("org_head", uk.id), ("coordinator", None), ("dispatcher", None))):
        client = _client(app, f"user{number}", role, org)
        assert client.get("/admin/users").status_code == 403
        assert client.get("/admin/users/new").status_code == 403
        assert client.get(f"/admin/organizations/{uk.id}").status_code == 403
        assert "Недостаточно прав" in client.get("/admin/organizations/new").get_data(as_text=True)
        assert "Пользователи и роли" not in client.get("/admin").get_data(as_text=True) \
            if role != "dispatcher" else client.get("/admin").status_code == 403
    coordinator = _client(app, "coord", "coordinator")
    listed = coordinator.get("/admin/organizations").get_data(as_text=True)
    assert "ООО «УК Центральная»" in listed and "Добавить организацию" not in listed


def test_an_admin_creates_changes_resets_and_deactivates_a_user(app: Flask) -> None:
    uk = _org("ООО «УК Северная»")
    admin = _client(app, "boss", "admin")
    home = admin.get("/admin").get_data(as_text=True)
    assert "Пользователи и роли" in home and "Организации" in home and "Волны подключения" in home
    token = csrf_token(admin.get("/admin/users/new").get_data(as_text=True))
    bad = admin.post("/admin/users/new", data={"csrf_token": token, "login": "петя", "role": "org_staff",
                                                "organization_id": "", "password": "123"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Только латинские буквы" in body and "Пароль от 8 до 200 символов" in body
    no_org = admin.post("/admin/users/new", data={"csrf_token": token, "login": "petya", "role": "org_staff",
                                                   "organization_id": "", "password": "долгий-пароль"})
    assert no_org.status_code == 422 and "для этой роли нужна организация" in no_org.get_data(as_text=True)
    taken = admin.post("/admin/users/new", data={"csrf_token": token, "login": "boss", "role": "dispatcher",
                                                  "password": "долгий-пароль"})
    assert taken.status_code == 422 and "этот логин уже занят" in taken.get_data(as_text=True)
    made = admin.post("/admin/users/new", data={"csrf_token": token, "login": "petya", "role": "org_staff",
                                                 "organization_id": str(uk.id), "password": "долгий-пароль",
                                                 "full_name": "Петров П. П."})
    assert made.status_code == 302
    user = db.session.scalars(select(User).where(User.login == "petya")).one()
    assert user.organization_id == uk.id and check_password("petya", "долгий-пароль") is not None

    changed = admin.post(f"/admin/users/{user.id}", data={"csrf_token": token, "full_name": "Петров П. П.",
                                                          "role": "org_head", "organization_id": str(uk.id)})
    assert changed.status_code == 302
    mismatch = admin.post(f"/admin/users/{user.id}/password", data={"csrf_token": token, "password": "новый-пароль-1",
                                                                    "confirm": "другой"})
    assert mismatch.status_code == 422 and "Пароли не совпадают" in mismatch.get_data(as_text=True)
    db.session.add(WebSession(user_id=user.id, token_hash="x" * 64))
    db.session.commit()
    reset = admin.post(f"/admin/users/{user.id}/password", data={"csrf_token": token, "password": "новый-пароль-1",
                                                                 "confirm": "новый-пароль-1"})
    assert reset.status_code == 302 and check_password("petya", "новый-пароль-1") is not None
    assert db.session.scalars(select(WebSession).where(WebSession.user_id == user.id)).one().ended_at is not None
    off = admin.post(f"/admin/users/{user.id}/active", data={"csrf_token": token, "active": "0"})
    assert off.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False and check_password("petya", "новый-пароль-1") is None
    boss = db.session.scalars(select(User).where(User.login == "boss")).one()
    self_demotion = admin.post(f"/admin/users/{boss.id}", data={"csrf_token": token, "role": "dispatcher",
                                                                "organization_id": ""})
    assert self_demotion.status_code == 422 and "свою роль администратор не меняет" in \
        self_demotion.get_data(as_text=True)
    assert admin.get("/admin/users/99999").status_code == 404
    trail = [(e.action, e.actor_id) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject == f"user:{user.id}").order_by(AuditEntry.id))]
    assert trail == [("user_create", boss.id), ("user_change", boss.id), ("user_password", boss.id),
                     ("user_deactivate", boss.id)]


def test_an_admin_adds_and_edits_organisations_and_their_resources(app: Flask) -> None:
    admin = _client(app, "boss", "admin")
    token = csrf_token(admin.get("/admin/organizations/new").get_data(as_text=True))
    bad = admin.post("/admin/organizations/new", data={"csrf_token": token, "name": "", "kind": "rso",
                                                        "resources": ["plasma"], "inn": "12ab"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Заполните это поле" in body and "ИНН — 10 или 12 цифр" in body
    assert "Неверный" in body  # the unknown resource, in WTForms' Russian
    made = admin.post("/admin/organizations/new", data={"csrf_token": token, "name": "ООО «Водоканал»",
                                                         "kind": "rso", "resources": ["cold_water", "sewerage"],
                                                         "phone": "+7 4752 00-00-00", "inn": "6829000000"})
    assert made.status_code == 302
    org = db.session.scalars(select(Organization).where(Organization.name == "ООО «Водоканал»")).one()
    assert org.resources == ["cold_water", "sewerage"]
    listed = admin.get("/admin/organizations").get_data(as_text=True)
    assert "холодная вода, водоотведение" in listed
    edited = admin.post(f"/admin/organizations/{org.id}", data={"csrf_token": token, "name": "ООО «Водоканал»",
                                                                "resources": ["cold_water"], "inn": "6829000000"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, org.id).resources == ["cold_water"]
    assert db.session.get(Organization, org.id).kind == "rso"
    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.subject == f"organization:{org.id}").order_by(AuditEntry.id))]
    assert actions == ["org_create", "org_change"]
