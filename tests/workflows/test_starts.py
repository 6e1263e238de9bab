"""Starting new instances: written in bulk, a failed start kept in error with its operations' writes undone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from tests.workflows.runtime_helpers import deploy_fixture, make_org
from workflows.db import COPY_FROM_ROWS, db, insert_rows
from workflows.registry.models import Organization
from workflows.runtime.models import HumanTask, InstanceEvent, ProcessInstance, TimerWait
from workflows.runtime.operations import ServiceCall
from workflows.runtime.starts import start_process, start_processes
from workflows.services import services_of


def _echo_that_writes(call: ServiceCall) -> dict[str, Any]:
    """An operation that writes a row, then fails for one name: its write must be taken back."""
    name = str(call.params["greeting"])
    db.session.add(Organization(name=name, kind="uk", resources=[]))
    db.session.flush()
    if "сбой" in name:
        raise RuntimeError("the operation failed")
    return {"said": name}


def _kinds(instance_id: int) -> list[str]:
    return list(db.session.scalars(select(InstanceEvent.kind).where(InstanceEvent.instance_id == instance_id)
                                   .order_by(InstanceEvent.id)))


def test_many_instances_start_together_and_a_failing_one_is_kept_in_error_without_its_writes(db_app: Flask) -> None:
    deploy_fixture("service.bpmn")
    services_of(db_app).operations = {"echo": _echo_that_writes}
    names = ["первый", "второй", "сбой", "четвёртый"]
    ids = start_processes("service", [{"name": n} for n in names], business_keys=[f"k:{n}" for n in names])
    db.session.commit()

    assert ids == sorted(ids) and len(set(ids)) == 4
    rows = {row.id: row for row in db.session.scalars(select(ProcessInstance).where(ProcessInstance.id.in_(ids)))}
    assert [rows[i].business_key for i in ids] == [f"k:{n}" for n in names]
    assert [rows[i].status for i in ids] == ["completed", "completed", "error", "completed"]
    failed = rows[ids[2]]
    assert failed.state is None and "the operation failed" in (failed.error_message or "")
    assert all(rows[i].state is not None for i in (ids[0], ids[1], ids[3]))
    written = set(db.session.scalars(select(Organization.name)))
    assert {"привет первый", "привет второй", "привет четвёртый"} <= written
    assert "привет сбой" not in written  # the failed run's write went with its savepoint
    assert _kinds(ids[0]) == ["started", "completed"]
    assert _kinds(ids[2]) == ["started", "error"]
    error = db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == ids[2],
                                                           InstanceEvent.kind == "error")).one()
    assert error.data is not None and error.data["initial_data"] == {"name": "сбой"}


def test_a_batch_writes_each_table_once_however_many_instances_it_starts(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    org_id = make_org().id
    start_process("review", {"organization_id": org_id})  # resolves and remembers the spec
    db.session.commit()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        ids = start_processes("review", [{"organization_id": org_id}] * 40)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(ids) == 40
    assert db.session.scalar(select(db.func.count()).select_from(HumanTask)
                             .where(HumanTask.instance_id.in_(ids), HumanTask.organization_id == org_id)) == 40
    assert statements.count("SELECT") == 2  # the spec check, and the ids of the new instances
    # instances, events and user tasks: one INSERT each on SQLite, one COPY each on PostgreSQL (not seen here)
    assert statements.count("INSERT") == (3 if db.engine.dialect.name == "sqlite" else 0)


def test_timers_of_new_instances_are_queued_after_the_commit_only(db_app: Flask) -> None:
    deploy_fixture("escalate.bpmn")
    org = make_org()
    queued: list[tuple[int, datetime]] = []

    class Recorder:
        def timer_due(self, instance_id: int, due_at: datetime) -> None:
            queued.append((instance_id, due_at))

    services_of(db_app).scheduler = Recorder()
    start_processes("escalate", [{"organization_id": org.id}] * 2)
    db.session.rollback()
    assert queued == [] and db.session.scalar(select(db.func.count()).select_from(TimerWait)) == 0
    ids = start_processes("escalate", [{"organization_id": org.id}] * 3)
    assert queued == []
    db.session.commit()
    assert sorted(i for i, _ in queued) == ids
    due = {row.instance_id: row.due_at for row in db.session.scalars(select(TimerWait))}
    assert all(due[i] == at for i, at in queued)


def test_one_business_key_per_item(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    with pytest.raises(ValueError):
        start_processes("review", [{}, {}], business_keys=["only one"])


def test_rows_inserted_in_bulk_read_back_as_the_orm_wrote_them(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    instance_id = start_process("review", {"organization_id": make_org().id}).id
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=3)))  # Moscow time, stored as UTC
    rows = [{"instance_id": instance_id, "at": moment + timedelta(seconds=n), "kind": "note", "actor_id": None,
             "task_name": None if n % 2 else f"задача {n}", "data": None if n % 3 == 0 else {"n": n, "текст": "ё"}}
            for n in range(COPY_FROM_ROWS + 5)]  # enough for PostgreSQL's COPY
    insert_rows(InstanceEvent.__table__, rows)
    db.session.commit()
    stored = list(db.session.scalars(select(InstanceEvent).where(InstanceEvent.kind == "note")
                                     .order_by(InstanceEvent.id)))
    assert len(stored) == len(rows)
    for row, event_row in zip(rows, stored, strict=True):
        assert event_row.at == row["at"] and event_row.at.utcoffset() == timedelta(0)
        assert event_row.task_name == row["task_name"] and event_row.data == row["data"]


def test_a_new_organisation_the_task_points_to_is_written_before_the_task(db_app: Flask) -> None:
    deploy_fixture("review.bpmn")
    db.session.add(Organization(id=9001, name="УК Новая", kind="uk", resources=[]))  # pending, not flushed
    instance = start_process("review", {"organization_id": 9001})
    db.session.commit()  # the foreign key from the user task holds on both backends
    task = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).one()
    assert task.organization_id == 9001
