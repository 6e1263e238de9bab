"""Following an instance: marks per element, data, event log and timer deadlines."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.designer.helpers import escalate_xml
from tests.web.helpers import login, user_with_token
from tests.workflows.runtime_helpers import make_org
from workflows.db import db
from workflows.runtime.definitions import deploy
from workflows.runtime.starts import start_process


def test_instance_view_marks_completed_current_and_waiting_elements(app: Flask, client: FlaskClient) -> None:
    org = make_org()
    deploy([("escalate.bpmn", escalate_xml())])
    instance_id = start_process("escalate", {"organization_id": org.id}).id
    db.session.commit()
    user_with_token("designer", "designer")
    login(client, "designer")
    view = client.get(f"/designer/api/instances/{instance_id}").get_json()
    assert view["marks"] == {"start": "completed", "work": "current", "deadline": "waiting"}
    assert view["data"] == {"organization_id": org.id}
    assert [t["name"] for t in view["timers"]] == ["deadline"] and view["events"][0]["kind"] == "started"
    page = client.get(f"/designer/instances/{instance_id}").get_data(as_text=True)
    assert "Ожидающие таймеры" in page and f"/designer/api/versions/{view['version_id']}/xml" in page


def test_an_unknown_instance_is_not_found(app: Flask, client: FlaskClient) -> None:
    user_with_token("designer", "designer")
    login(client, "designer")
    assert client.get("/designer/instances/999").status_code == 404
