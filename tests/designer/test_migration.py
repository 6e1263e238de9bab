"""Migrating running instances to a new version: safe moves happen, unsafe ones are refused with a reason."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.designer.helpers import escalate_with_added_task, escalate_without_work, escalate_xml
from tests.workflows.runtime_helpers import make_org, make_user
from workflows.audit.models import AuditEntry
from workflows.clock import FakeClock
from workflows.db import db
from workflows.designer import migration
from workflows.errors import Conflict
from workflows.runtime import tasks
from workflows.runtime.definitions import deploy
from workflows.runtime.models import HumanTask, InstanceEvent, ProcessInstance, TimerWait
from workflows.runtime.starts import start_process


def _waiting_instance() -> int:
    org = make_org()
    deploy([("escalate.bpmn", escalate_xml())])
    instance = start_process("escalate", {"organization_id": org.id})
    db.session.commit()
    return int(instance.id)


def _due(instance_id: int) -> list[tuple[str, object]]:
    return [(t.task_uuid, t.due_at) for t in db.session.scalars(select(TimerWait).where(
        TimerWait.instance_id == instance_id))]


def test_deploying_a_new_version_leaves_running_instances_alone(app: Flask) -> None:
    instance_id = _waiting_instance()
    state_before = db.session.get(ProcessInstance, instance_id).state
    deploy([("escalate.bpmn", escalate_with_added_task())])
    instance = db.session.get(ProcessInstance, instance_id, populate_existing=True)
    assert instance.version == 1 and instance.state == state_before


def test_waiting_instance_moves_to_a_version_with_an_added_task_and_keeps_its_timer(
        app: Flask, clock: FakeClock) -> None:
    instance_id = _waiting_instance()
    timers_before = _due(instance_id)
    clock.advance(timedelta(minutes=30))  # a restarted duration timer would now be due 30 minutes later
    deploy([("escalate.bpmn", escalate_with_added_task())])
    designer = make_user("designer", "designer")

    check = migration.migrate_instance(instance_id, designer.id)

    instance = db.session.get(ProcessInstance, instance_id, populate_existing=True)
    assert check.plan is not None and instance.version == 2
    assert _due(instance_id) == timers_before
    kinds = [e.kind for e in db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance_id))]
    assert kinds[-1] == "migrated"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "migrate")).one()
    assert entry.instance_id == instance_id and entry.actor_id == designer.id
    # The open task keeps its row; completing it now leads into the task the new version added.
    admin = make_user("admin", "admin")
    work = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.status == "open")).one()
    tasks.complete_task(work.id, admin, {})
    open_now = db.session.scalars(select(HumanTask.name).where(HumanTask.instance_id == instance_id,
                                                               HumanTask.status == "open")).all()
    assert open_now == ["check"]


def test_migration_is_refused_when_the_current_task_was_removed(app: Flask) -> None:
    instance_id = _waiting_instance()
    state_before = db.session.get(ProcessInstance, instance_id).state
    deploy([("escalate.bpmn", escalate_without_work())])

    (candidate,) = migration.candidates("escalate")
    assert not candidate.possible and "work" in (candidate.reason or "")
    with pytest.raises(Conflict) as refused:
        migration.migrate_instance(instance_id, None)

    assert "current task was removed" in refused.value.message and "work" in refused.value.message
    instance = db.session.get(ProcessInstance, instance_id, populate_existing=True)
    assert instance.version == 1 and instance.status == "waiting" and instance.state == state_before


def test_an_instance_on_the_current_version_is_not_migrated_again(app: Flask) -> None:
    instance_id = _waiting_instance()
    with pytest.raises(Conflict):
        migration.migrate_instance(instance_id, None)
    assert migration.candidates("escalate") == []
