"""Dry runs from the browser's endpoints: in memory, a fake clock, service calls recorded, nothing written."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.designer.helpers import escalate_xml
from tests.web.helpers import csrf_token, login, user_with_token
from workflows.db import db
from workflows.runtime.definitions import deploy
from workflows.runtime.models import InstanceEvent, ProcessInstance, SpecBundle

SERVICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://otklik.example/bpmn">
  <bpmn:process id="notify_all" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send"/>
    <bpmn:serviceTask id="send"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator id="notify_applicant"
      resultVariable="sent"><spiffworkflow:parameters><spiffworkflow:parameter id="template" type="any" value="'x'"/>
      </spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="send" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def _post(client: FlaskClient, headers: dict[str, str], url: str, body: dict[str, Any]) -> Any:
    answer = client.post(url, headers=headers, json=body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _headers(client: FlaskClient) -> dict[str, str]:
    user_with_token("designer", "designer")
    login(client, "designer")
    return {"X-CSRFToken": csrf_token(client.get("/inbox").get_data(as_text=True)), "Accept": "application/json"}


def _writes() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(ProcessInstance.id))) or 0,
            db.session.scalar(select(func.count(InstanceEvent.id))) or 0,
            db.session.scalar(select(func.count(SpecBundle.id))) or 0)


def test_dry_run_steps_through_tasks_and_a_timer_without_writing(app: Flask, client: FlaskClient) -> None:
    deploy([("escalate.bpmn", escalate_xml())])
    headers = _headers(client)
    before = _writes()
    state = _post(client, headers, "/designer/api/dry-run", {"process_id": "escalate", "data": {"organization_id": 5},
                                                              "start": "2026-03-02T09:00:00+03:00"})
    assert [t["name"] for t in state["tasks"]] == ["work"] and state["marks"]["work"] == "current"
    assert state["timers"] == [{"name": "deadline", "due_at": "2026-03-02T08:00:00+00:00"}]
    state = _post(client, headers, "/designer/api/dry-run/step",
                  {"token": state["token"], "action": "clock", "to": "PT2H"})
    assert [t["name"] for t in state["tasks"]] == ["escalation"] and state["marks"]["note_breach"] == "completed"
    task_id = state["tasks"][0]["task_id"]
    state = _post(client, headers, "/designer/api/dry-run/step",
                  {"token": state["token"], "action": "complete", "task": task_id, "data": {}})
    assert state["completed"] is True and state["marks"]["escalated_end"] == "completed"
    assert _writes() == before


def test_service_tasks_in_a_dry_run_only_record_their_calls(app: Flask, client: FlaskClient) -> None:
    deploy([("notify_all.bpmn", SERVICE)])
    headers = _headers(client)
    state = _post(client, headers, "/designer/api/dry-run",
                  {"process_id": "notify_all", "operations": {"notify_applicant": {"sent": 3}}})
    assert state["completed"] is True and state["data"]["sent"] == {"sent": 3}
    assert state["calls"] == [{"operation": "notify_applicant", "params": {"template": "x"}}]


def test_a_tampered_dry_run_token_is_refused(app: Flask, client: FlaskClient) -> None:
    deploy([("escalate.bpmn", escalate_xml())])
    headers = _headers(client)
    state = _post(client, headers, "/designer/api/dry-run", {"process_id": "escalate", "data": {}})
    answer = client.post("/designer/api/dry-run/step", headers=headers,
                         json={"token": state["token"][:-3] + "abc", "action": "clock", "to": "PT1H"})
    assert answer.status_code == 422


def test_bad_dry_run_input_is_a_clear_refusal(app: Flask, client: FlaskClient) -> None:
    deploy([("escalate.bpmn", escalate_xml())])
    headers = _headers(client)
    for body in ({"process_id": "escalate", "data": [1]}, {"process_id": "escalate", "start": "вчера"},
                 {"process_id": "nope"}, {"process_id": "escalate", "operations": "x"}):
        answer = client.post("/designer/api/dry-run", headers=headers, json=body)
        assert answer.status_code in (404, 422), body
    assert client.post("/designer/api/dry-run/step", headers=headers, json={"token": None}).status_code == 422
