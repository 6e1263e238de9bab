"""The durable runtime: versions, user tasks, timers with a fake clock, errors and retries."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import make_app
from tests.workflows.runtime_helpers import DATA, deploy_fixture, make_org, make_user
from workflows.db import db
from workflows.errors import Conflict, ValidationFailed
from workflows.runtime import instances, starts, tasks, timers
from workflows.runtime.definitions import deploy, list_versions
from workflows.runtime.models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion, TimerWait
from workflows.services import services_of


def _open_task(instance_id: int, name: str) -> HumanTask:
    return db.session.query(HumanTask).filter_by(instance_id=instance_id, name=name, status="open").one()


def _kinds(instance_id: int) -> list[str]:
    return [e.kind for e in instances.history(instance_id)]


def test_user_task_row_carries_lane_roles_organisation_due_time_and_form(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org = make_org()
    instance = starts.start_process("review", {"organization_id": org.id}, business_key="test:1")
    db.session.commit()
    task = _open_task(instance.id, "decide")
    assert instance.status == "waiting"
    assert task.lane == "org_staff" and task.role_list == ["org_staff"]
    assert task.organization_id == org.id
    clock = services_of(db_app).clock
    assert task.due_at == clock.now() + timedelta(hours=4)
    assert task.form["required"] == ["decision"]


def test_completing_a_task_validates_the_form_and_finishes_the_instance(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org = make_org()
    staff = make_user("staff", "org_staff", org)
    instance = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    task = _open_task(instance.id, "decide")
    with pytest.raises(ValidationFailed) as bad:
        tasks.complete_task(task.id, staff, {"decision": "maybe"})
    assert "decision" in bad.value.details
    tasks.complete_task(task.id, staff, {"decision": "accept"})
    db.session.expire_all()
    assert db.session.get(ProcessInstance, instance.id).status == "completed"
    with pytest.raises(Conflict):
        tasks.complete_task(task.id, staff, {"decision": "accept"})
    assert _kinds(instance.id) == ["started", "task_completed", "completed"]


def test_other_organisations_staff_neither_see_nor_complete_the_task(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    mine, other = make_org("УК Один"), make_org("УК Два")
    outsider = make_user("outsider", "org_staff", other)
    instance = starts.start_process("review", {"organization_id": mine.id})
    db.session.commit()
    task = _open_task(instance.id, "decide")
    assert tasks.list_tasks(outsider) == []
    assert [t.id for t in tasks.list_tasks(make_user("insider", "org_staff", mine))] == [task.id]


def test_claim_by_a_second_user_is_a_conflict(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org = make_org()
    first, second = make_user("a", "org_staff", org), make_user("b", "org_staff", org)
    instance = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    task = _open_task(instance.id, "decide")
    tasks.claim_task(task.id, first)
    with pytest.raises(Conflict):
        tasks.claim_task(task.id, second)
    with pytest.raises(Conflict):
        tasks.complete_task(task.id, second, {"decision": "accept"})


def test_boundary_timer_fires_with_the_fake_clock_and_escalates(db_app: Flask) -> None:
    clock = services_of(db_app).clock
    deploy_fixture("escalate.bpmn")
    org = make_org()
    instance = starts.start_process("escalate", {"organization_id": org.id})
    db.session.commit()
    timer = db.session.query(TimerWait).filter_by(instance_id=instance.id).one()
    assert timer.due_at == clock.now() + timedelta(hours=2)
    clock.advance(timedelta(hours=1, minutes=59))
    assert timers.sweep_timers() == 0
    assert _open_task(instance.id, "work")
    clock.advance(timedelta(minutes=2))
    assert timers.sweep_timers() == 1
    db.session.expire_all()
    assert db.session.query(HumanTask).filter_by(instance_id=instance.id, name="work").one().status == "cancelled"
    escalation = _open_task(instance.id, "escalation")
    assert escalation.role_list == ["org_head", "coordinator"]
    assert "timer_fired" in _kinds(instance.id)
    assert db.session.query(TimerWait).filter_by(instance_id=instance.id).count() == 0


def test_a_timer_survives_a_worker_restart(tmp_path: Path) -> None:
    """The queue entry is lost with the old worker; the new worker's sweep still fires the timer."""
    url = f"sqlite:///{tmp_path / 'otklik.db'}"
    first = make_app(tmp_path, url)
    with first.app_context():
        deploy_fixture("escalate.bpmn")
        org = make_org()
        instance_id = starts.start_process("escalate", {"organization_id": org.id}).id
        db.session.commit()
        start = services_of(first).clock.now()
        db.session.remove()
    restarted = make_app(tmp_path, url)  # a new process: fresh in-memory queue, nothing scheduled
    services_of(restarted).clock.set(start + timedelta(hours=3))
    with restarted.app_context():
        assert services_of(restarted).huey.scheduled_count() == 0
        assert timers.sweep_timers() == 1
        assert _open_task(instance_id, "escalation")
        db.session.remove()


def test_a_failing_step_keeps_the_last_good_state_and_can_be_retried(db_app: Flask) -> None:
    deploy_fixture("failing.bpmn")
    dispatcher = make_user("disp", "dispatcher")
    instance = starts.start_process("failing", {})
    db.session.commit()
    good_state = json.dumps(instance.state, sort_keys=True)
    task = _open_task(instance.id, "ask")
    with pytest.raises(Exception) as failure:
        tasks.complete_task(task.id, dispatcher, {"divisor": 0})
    assert "division" in str(failure.value).lower() or "zero" in str(failure.value).lower()
    db.session.expire_all()
    instance = db.session.get(ProcessInstance, instance.id)
    assert instance.status == "error" and instance.error_message
    assert json.dumps(instance.state, sort_keys=True) == good_state
    assert _open_task(instance.id, "ask").status == "open"
    tasks.complete_task(task.id, dispatcher, {"divisor": 4})
    db.session.expire_all()
    instance = db.session.get(ProcessInstance, instance.id)
    assert instance.status == "completed"
    assert instance.state is not None


def test_service_task_reaches_only_the_operation_table(db_app: Flask) -> None:
    deploy_fixture("service.bpmn")
    instance = starts.start_process("service", {"name": "мир"})
    db.session.commit()
    assert instance.status == "completed"
    assert instance.state is not None and "привет мир" in json.dumps(instance.state, ensure_ascii=False)


def test_deploy_versions_are_immutable_and_running_instances_keep_theirs(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org = make_org()
    old = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    deploy_fixture("review.bpmn")  # identical content: no new version
    assert [v.version for v in list_versions()] == [1]
    changed = (DATA / "review.bpmn").read_bytes().replace("Рассмотреть".encode(), "Рассмотреть (v2)".encode())
    deploy([("review.bpmn", changed)])
    new = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    assert (old.version, new.version) == (1, 2)
    assert _open_task(old.id, "decide").title == "Рассмотреть"
    assert _open_task(new.id, "decide").title == "Рассмотреть (v2)"


def test_a_broken_diagram_is_refused_with_element_and_line_and_nothing_is_deployed(db_app: Flask) -> None:
    broken = (DATA / "escalate.bpmn").read_text().replace('"PT2H"', "PT2H")
    with pytest.raises(ValidationFailed) as refused:
        deploy([("escalate.bpmn", broken.encode())])
    issues = refused.value.details["errors"]
    assert any(i["element_id"] in ("deadline", "deadline_timer") and i["line"] for i in issues), issues
    assert db.session.query(ProcessVersion).count() == 0


def test_event_log_is_append_only_history_of_the_instance(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org = make_org()
    staff = make_user("staff", "org_staff", org)
    instance = starts.start_process("review", {"organization_id": org.id})
    db.session.commit()
    task = _open_task(instance.id, "decide")
    tasks.claim_task(task.id, staff)
    tasks.complete_task(task.id, staff, {"decision": "accept"})
    events = db.session.query(InstanceEvent).filter_by(instance_id=instance.id).order_by(InstanceEvent.id).all()
    assert [e.kind for e in events] == ["started", "task_claimed", "task_completed", "completed"]
    completed = next(e for e in events if e.kind == "task_completed")
    assert completed.actor_id == staff.id and completed.data == {"decision": "accept"}


def test_a_message_reaches_only_the_instance_with_its_correlation_key(db_app: Flask) -> None:
    from workflows.runtime.messages import correlate_message
    from workflows.runtime.models import MessageWait

    deploy_fixture("confirm.bpmn")
    first = starts.start_process("confirm", {"appeal_id": 101})
    second = starts.start_process("confirm", {"appeal_id": 202})
    db.session.commit()
    assert db.session.query(MessageWait).count() == 2
    assert correlate_message("resident_confirmation", {"appeal_id": 999},
                             {"appeal_id": 999, "resident_answer": "yes"}) == []
    caught = correlate_message("resident_confirmation", {"appeal_id": 202},
                               {"appeal_id": 202, "resident_answer": "yes"})
    assert caught == [second.id]
    db.session.expire_all()
    assert db.session.get(ProcessInstance, first.id).status == "waiting"
    assert db.session.get(ProcessInstance, second.id).status == "completed"
    assert "message_received" in _kinds(second.id)


def test_an_instance_that_failed_to_start_is_kept_in_error_and_retried_by_an_admin(db_app: Flask) -> None:
    deploy_fixture("service.bpmn")
    operations = services_of(db_app).operations
    services_of(db_app).operations = {}  # the operation is missing: the start fails
    instance = starts.start_process("service", {"name": "мир"})
    db.session.commit()
    assert instance.status == "error" and "echo" in (instance.error_message or "")
    assert instance.state is None
    services_of(db_app).operations = operations
    admin = make_user("admin", "admin")
    retried = instances.retry_instance(instance.id, admin.id)
    assert retried.status == "completed"
    assert _kinds(instance.id) == ["started", "error", "retried", "completed"]
    with pytest.raises(Conflict):
        instances.retry_instance(instance.id, admin.id)


def test_every_bundled_diagram_validates_and_deploys_together(db_app: Flask) -> None:
    bundled = sorted((Path(__file__).resolve().parents[2] / "bpmn").glob("*.[bd][pm][mn]*"))
    assert any(p.name == "appeal.bpmn" for p in bundled)
    versions = deploy([(p.name, p.read_bytes()) for p in bundled])
    assert {v.key for v in versions} >= {"appeal", "routing", "sla"}
    from workflows.runtime.definitions import spec_bundle_for

    for version in versions:
        if version.kind == "bpmn":
            assert spec_bundle_for(version.key).spec
