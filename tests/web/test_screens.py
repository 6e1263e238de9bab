"""Screens: login, inbox, a task form validated on the server, CSRF, escaping."""
from __future__ import annotations

from flask import Flask

from tests.web.helpers import PASSWORD, csrf_token, login
from tests.workflows.runtime_helpers import deploy_fixture, make_org
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.runtime import starts
from workflows.runtime.models import HumanTask


def _setup(app: Flask) -> tuple[int, int]:
    deploy_fixture("review.bpmn")
    org = make_org("УК <b>Жирная</b>")
    create_user("staff", "org_staff", org.id, PASSWORD, full_name="<script>alert(1)</script>")
    instance = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    task = db.session.query(HumanTask).filter_by(instance_id=instance.id).one()
    return instance.id, task.id


def test_login_is_required_and_wrong_password_is_refused(app: Flask) -> None:
    client = app.test_client()
    _setup(app)
    assert client.get("/inbox").status_code == 302
    page = client.get("/login").get_data(as_text=True)
    wrong = client.post("/login", data={"login": "staff", "password": "nope", "csrf_token": csrf_token(page)})
    assert wrong.status_code == 200 and "Неверный логин или пароль" in wrong.get_data(as_text=True)


def test_inbox_claim_and_complete_a_task_through_the_form(app: Flask) -> None:
    client = app.test_client()
    _, task_id = _setup(app)
    login(client, "staff")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Рассмотреть" in inbox and f"/tasks/{task_id}" in inbox
    claimed = client.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf_token(inbox)})
    assert claimed.status_code == 302
    form_page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert '<select id="f-decision" name="decision">' in form_page
    empty = client.post(f"/tasks/{task_id}", data={"csrf_token": csrf_token(form_page)})
    assert empty.status_code == 422 and "field-error" in empty.get_data(as_text=True)
    done = client.post(f"/tasks/{task_id}", data={"csrf_token": csrf_token(form_page), "decision": "accept"})
    assert done.status_code == 302
    assert db.session.get(HumanTask, task_id).status == "completed"


def test_forms_without_a_csrf_token_are_refused(app: Flask) -> None:
    client = app.test_client()
    _, task_id = _setup(app)
    login(client, "staff")
    refused = client.post(f"/tasks/{task_id}", data={"decision": "accept"})
    assert refused.status_code == 400
    assert db.session.get(HumanTask, task_id).status == "open"
    assert client.post("/login", data={"login": "staff", "password": PASSWORD}).status_code == 400


def test_user_supplied_text_is_escaped(app: Flask) -> None:
    client = app.test_client()
    _setup(app)
    login(client, "staff")
    page = client.get("/inbox").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>Жирная</b>" not in page


def test_instance_page_shows_the_event_log_to_city_roles(app: Flask) -> None:
    client = app.test_client()
    instance_id, _ = _setup(app)
    create_user("boss", "admin", None, PASSWORD)
    login(client, "boss")
    page = client.get(f"/instances/{instance_id}").get_data(as_text=True)
    assert "запущен" in page and "Рассмотреть" in page and "started" not in page  # the event named in Russian
    assert client.get("/instances/999999").status_code == 404
