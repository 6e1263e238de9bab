"""Designer screens and JSON endpoints over HTTP: roles, CSRF, validate, deploy with audit, compare, vendor files."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.designer.helpers import escalate_with_added_task, escalate_xml
from tests.web.helpers import csrf_token, login, user_with_token
from workflows.audit.models import AuditEntry
from workflows.db import db
from workflows.runtime.definitions import deploy
from workflows.runtime.models import ProcessVersion

BROKEN = escalate_xml().replace(b'<bpmn:scriptTask id="note_breach"',
                                b'<bpmn:serviceTask id="broken_call"/><bpmn:scriptTask id="note_breach"')


def _designer(client: FlaskClient, login_name: str = "designer", role: str = "designer") -> dict[str, str]:
    user_with_token(login_name, role)
    login(client, login_name)
    return {"X-CSRFToken": csrf_token(client.get("/inbox").get_data(as_text=True)), "Accept": "application/json"}


def test_catalog_lists_versions_with_deployer_running_count_and_current(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client)
    client.post("/designer/api/deploy", headers=headers,
                json={"filename": "escalate.bpmn", "xml": escalate_xml().decode()})
    deploy([("escalate.bpmn", escalate_with_added_task())])
    page = client.get("/designer/").get_data(as_text=True)
    assert 'data-key="escalate" data-version="2" class="current"' in page
    assert 'data-key="escalate" data-version="1" class="older"' in page
    assert "designer" in page and "система" in page


def test_only_designers_and_admins_reach_the_designer(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client, "dispatcher", "dispatcher")
    assert client.get("/designer/").status_code == 403
    answer = client.post("/designer/api/deploy", headers=headers, json={"filename": "escalate.bpmn",
                                                                          "xml": escalate_xml().decode()})
    assert answer.status_code == 403
    assert db.session.scalar(select(ProcessVersion.id)) is None


def test_json_posts_without_the_csrf_header_are_refused(app: Flask, client: FlaskClient) -> None:
    _designer(client)
    answer = client.post("/designer/api/validate", json={"filename": "escalate.bpmn", "xml": escalate_xml().decode()})
    assert answer.status_code == 400


def test_validate_reports_each_issue_with_its_element(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client)
    clean = client.post("/designer/api/validate", headers=headers,
                        json={"filename": "escalate.bpmn", "xml": escalate_xml().decode()}).get_json()
    broken = client.post("/designer/api/validate", headers=headers,
                         json={"filename": "escalate.bpmn", "xml": BROKEN.decode()}).get_json()
    assert clean == {"ok": True, "errors": [], "overridable": False}
    assert not broken["ok"] and "broken_call" in {e["element_id"] for e in broken["errors"]}


def test_deploy_creates_a_version_and_an_audit_entry_with_the_diff(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client)
    first = client.post("/designer/api/deploy", headers=headers,
                        json={"filename": "escalate.bpmn", "xml": escalate_xml().decode()})
    second = client.post("/designer/api/deploy", headers=headers,
                         json={"filename": "escalate.bpmn", "xml": escalate_with_added_task().decode()})
    again = client.post("/designer/api/deploy", headers=headers,
                        json={"filename": "escalate.bpmn", "xml": escalate_with_added_task().decode()})
    assert (first.status_code, second.status_code, again.status_code) == (201, 201, 200)
    assert second.get_json()["version"] == 2 and again.get_json()["created"] is False
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["deploy", "deploy"]
    latest = entries[-1]
    assert latest.version_id == second.get_json()["version_id"] and latest.actor_id is not None
    assert [e["id"] for e in latest.summary["elements"]["added"]] == ["check", "f2b"]
    assert '+    <bpmn:userTask id="check"' in latest.diff


def test_a_broken_diagram_is_never_deployed(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client)
    answer = client.post("/designer/api/deploy", headers=headers, json={"filename": "escalate.bpmn",
                                                                          "xml": BROKEN.decode()})
    assert answer.status_code == 422
    assert "broken_call" in {e["element_id"] for e in answer.get_json()["errors"]}
    assert db.session.scalar(select(AuditEntry.id)) is None and db.session.scalar(select(ProcessVersion.id)) is None


def test_compare_shows_added_removed_and_changed_elements(app: Flask, client: FlaskClient) -> None:
    _designer(client)
    (old,) = deploy([("escalate.bpmn", escalate_xml())])
    renamed = escalate_with_added_task().replace("Выполнить работу".encode(), "Сделать работу".encode())
    (new,) = deploy([("escalate.bpmn", renamed)])
    page = client.get(f"/designer/compare?old={old.id}&new={new.id}").get_data(as_text=True)
    added = page.split('id="added"')[1].split("</ul>")[0]
    changed = page.split('id="changed"')[1].split("</table>")[0]
    assert "check" in added and "f2b" in added
    assert "work" in changed and "Сделать работу" in changed and "@name" in changed


def test_vendor_route_serves_only_the_allow_list(app: Flask, client: FlaskClient) -> None:
    assert client.get("/designer/vendor/bpmn-js/package.json").status_code == 404
    assert client.get("/designer/vendor/../pyproject.toml").status_code == 404
    assert client.get("/designer/vendor/bpmn-js/dist/assets/bpmn-js.css").status_code in (200, 404)


def test_a_diagram_without_shapes_gets_a_layout_for_the_browser(app: Flask, client: FlaskClient) -> None:
    headers = _designer(client)
    answer = client.post("/designer/api/layout", headers=headers,
                         json={"filename": "escalate.bpmn", "xml": escalate_xml().decode()})
    xml = answer.get_json()["xml"]
    assert 'bpmnElement="work"' in xml and xml.startswith(escalate_xml().decode()[:200])
