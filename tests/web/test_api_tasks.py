"""The task API: listing, claiming, completing, and the errors each answers with."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask

from tests.conftest import make_app
from tests.web.helpers import user_with_token
from tests.workflows.runtime_helpers import deploy_fixture, make_org
from workflows.db import db
from workflows.runtime import instances, starts
from workflows.runtime.models import HumanTask, ProcessInstance


def _start_reviews(count: int, org_id: int) -> list[int]:
    ids = [starts.start_process("review", {"organization_id": org_id}).id for _ in range(count)]
    db.session.commit()
    return ids


def _task_ids(instance_ids: list[int]) -> list[int]:
    return [t.id for t in db.session.query(HumanTask).filter(HumanTask.instance_id.in_(instance_ids))]


def test_task_api_lists_claims_and_completes_with_contract_fields(app: Flask) -> None:
    client = app.test_client()
    deploy_fixture("review.bpmn")
    org = make_org()
    staff = user_with_token("staff", "org_staff", org)
    other = user_with_token("other", "org_staff", org)
    _start_reviews(1, org.id)
    items = client.get("/api/v1/tasks", headers=staff).get_json()["items"]
    assert len(items) == 1
    task = items[0]
    assert {"id", "name", "title", "appeal_id", "outage_id", "process_id", "lane", "assignee", "due_at",
            "form"} <= set(task)
    assert task["name"] == "decide" and task["form"]["required"] == ["decision"]
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff).status_code == 200
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=other).status_code == 409
    bad = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=staff, json={"data": {"decision": 5}})
    assert bad.status_code == 422 and "decision" in bad.get_json()["details"]
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=staff, json={"data": {"decision": "accept"}})
    assert done.status_code == 200
    again = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=staff, json={"data": {"decision": "accept"}})
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"


def test_task_api_answers_garbage_with_4xx_never_500(app: Flask) -> None:
    client = app.test_client()
    deploy_fixture("review.bpmn")
    org = make_org()
    staff = user_with_token("staff", "org_staff", org)
    _start_reviews(1, org.id)
    task_id = client.get("/api/v1/tasks", headers=staff).get_json()["items"][0]["id"]
    for body in (b"not json", b"[]", b'{"data": []}', b'{"data": "x"}'):
        answer = client.post(f"/api/v1/tasks/{task_id}/complete", headers={**staff, "Content-Type": "application/json"},
                             data=body)
        assert 400 <= answer.status_code < 500, (body, answer.status_code)
        assert {"error", "message"} <= set(answer.get_json())
    assert client.get("/api/v1/tasks?appeal_id=abc", headers=staff).status_code == 422
    assert client.post("/api/v1/tasks/999999/complete", headers=staff, json={"data": {}}).status_code == 404
    assert client.get("/api/v1/tasks").status_code == 401


def _concurrent_app(pg_url: str, tmp_path: Path) -> Flask:
    return make_app(tmp_path, pg_url)


def test_ten_concurrent_completions_of_one_task_give_one_success_and_nine_conflicts(pg_url: str,
                                                                                    tmp_path: Path) -> None:
    app = _concurrent_app(pg_url, tmp_path)
    with app.app_context():
        deploy_fixture("review.bpmn")
        org = make_org()
        staff = user_with_token("staff", "org_staff", org)
        instance_id = _start_reviews(1, org.id)[0]
        task_id = _task_ids([instance_id])[0]
        db.session.remove()

    def complete(_: int) -> int:
        client = app.test_client()
        return client.post(f"/api/v1/tasks/{task_id}/complete", headers=staff,
                           json={"data": {"decision": "accept"}}).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(complete, range(10)))
    assert statuses == [200] + [409] * 9
    with app.app_context():
        assert db.session.get(ProcessInstance, instance_id).status == "completed"
        events = [e.kind for e in instances.history(instance_id)]
        assert events.count("task_completed") == 1


def test_sixteen_threads_completing_different_instances_lose_no_update(pg_url: str, tmp_path: Path) -> None:
    app = _concurrent_app(pg_url, tmp_path)
    with app.app_context():
        deploy_fixture("review.bpmn")
        org = make_org()
        staff = user_with_token("staff", "org_staff", org)
        instance_ids = _start_reviews(64, org.id)
        task_ids = _task_ids(instance_ids)
        db.session.remove()

    def complete(task_id: int) -> int:
        return app.test_client().post(f"/api/v1/tasks/{task_id}/complete", headers=staff,
                                      json={"data": {"decision": "accept"}}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(complete, task_ids))
    assert statuses == [200] * 64
    with app.app_context():
        states = db.session.query(ProcessInstance.status).filter(ProcessInstance.id.in_(instance_ids)).all()
        assert [s for (s,) in states] == ["completed"] * 64
        assert db.session.query(HumanTask).filter(HumanTask.status == "open").count() == 0
