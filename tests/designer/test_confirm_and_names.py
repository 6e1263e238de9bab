"""The deploy confirmation's plan (changes nothing) and people's names, not ids, in the designer's logs."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.designer.helpers import escalate_with_added_task, escalate_xml
from tests.web.helpers import csrf_token, login, user_with_token
from workflows.accounts.models import User
from workflows.db import db
from workflows.runtime.models import ProcessVersion


def _designer(client: FlaskClient, login_name: str, full_name: str = "") -> dict[str, str]:
    user_with_token(login_name, "designer")
    if full_name:
        db.session.scalars(select(User).where(User.login == login_name)).one().full_name = full_name
        db.session.commit()
    login(client, login_name)
    return {"X-CSRFToken": csrf_token(client.get("/inbox").get_data(as_text=True)), "Accept": "application/json"}


def test_the_plan_tells_what_a_deploy_would_do_and_deploys_nothing(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client, "designer")
    body = {"filename": "escalate.bpmn", "xml": escalate_xml().decode()}
    first = client.post("/designer/api/deploy/plan", headers=headers, json=body)
    assert first.status_code == 200
    assert first.get_json() == {"key": "escalate", "current_version": None, "next_version": 1, "unchanged": False,
                                "running": 0, "elements": None}
    assert db.session.scalar(select(ProcessVersion.id)) is None
    assert client.post("/designer/api/deploy", headers=headers, json=body).status_code == 201
    same = client.post("/designer/api/deploy/plan", headers=headers, json=body).get_json()
    assert same["unchanged"] is True and same["current_version"] == 1
    changed = client.post("/designer/api/deploy/plan", headers=headers,
                          json={**body, "xml": escalate_with_added_task().decode()}).get_json()
    assert (changed["current_version"], changed["next_version"], changed["unchanged"]) == (1, 2, False)
    assert [e["id"] for e in changed["elements"]["added"]] == ["check", "f2b"]
    assert db.session.scalar(select(ProcessVersion.version).order_by(ProcessVersion.version.desc())) == 1


def test_the_plan_refuses_a_broken_file_in_russian(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client, "designer")
    answer = client.post("/designer/api/deploy/plan", headers=headers, json={"filename": "x.txt", "xml": "<a/>"})
    assert answer.status_code in (400, 422)
    assert "bpmn" in answer.get_json()["message"] and "имя файла" in answer.get_json()["message"]


def test_the_editor_asks_before_deploying(app: Flask, client: FlaskClient) -> None:
    _designer(client, "designer")
    page = client.get("/designer/new").get_data(as_text=True)
    assert '<dialog id="deploy-confirm"' in page and 'id="deploy-yes"' in page and "data-plan-url=" in page
    assert "<script>" not in page  # the dialog is opened by the static editor.js (CSP)


def test_the_change_log_names_who_deployed(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client, "ivanova", "Иванова Мария")
    client.post("/designer/api/deploy", headers=headers, json={"filename": "escalate.bpmn",
                                                                "xml": escalate_xml().decode()})
    user_id = db.session.scalars(select(User.id).where(User.login == "ivanova")).one()
    page = client.get("/designer/processes/escalate").get_data(as_text=True)
    audit = page[page.index('id="audit"'):]
    assert "<td>Иванова Мария</td>" in audit and f"<td>{user_id}</td>" not in audit


def test_a_user_without_a_name_is_shown_by_login(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client, "petrov")
    client.post("/designer/api/deploy", headers=headers, json={"filename": "escalate.bpmn",
                                                                "xml": escalate_xml().decode()})
    page = client.get("/designer/processes/escalate").get_data(as_text=True)
    assert "<td>petrov</td>" in page[page.index('id="audit"'):]
