"""An appeal whose process fails while starting is kept, with nothing of the failed run, and retried by an admin."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from workflows.accounts.models import User
from workflows.appeals.intake import register_appeal
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.runtime.instances import retry_instance
from workflows.runtime.models import HumanTask, InstanceEvent, ProcessInstance
from workflows.runtime.operations import ServiceCall
from workflows.services import services_of


@pytest.fixture
def city_app(any_db_url: str, tmp_path: Path) -> Iterator[tuple[Flask, City]]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application, build_city()
        db.session.remove()


def _unavailable(call: ServiceCall) -> Any:
    raise RuntimeError("сервис уведомлений недоступен")


def _history(appeal_id: int) -> list[str]:
    return list(db.session.scalars(select(AppealEvent.kind).where(AppealEvent.appeal_id == appeal_id)
                                   .order_by(AppealEvent.at, AppealEvent.id)))


def test_the_appeal_is_kept_without_the_failed_runs_writes_and_an_admin_retry_routes_it(
        city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    operations = services_of(app).operations
    # Routing and deadlines write to the appeal first; the third operation then fails.
    services_of(app).operations = {**operations, "appeal_assigned": _unavailable}
    registration = register_appeal({"text": "Течёт крыша над кухней", "channel": "phone", "category": "roof",
                                    "building_id": city.sovetskaya_45.id})
    assert registration.created and registration.view["status"] == "manual"  # it needs manual handling
    db.session.expire_all()

    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1  # the failed attempt left nothing
    appeal = db.session.get(Appeal, registration.appeal.id)
    assert appeal is not None and appeal.number == f"{appeal.created_at.year}-{appeal.id:06d}"
    assert appeal.status == "manual" and appeal.organization_id is None and appeal.due_at is None
    # no "routed" or "deadlines" from the run that failed; the failure itself is on the record
    assert _history(appeal.id) == ["registered", "manual_handling"]
    instance = db.session.get(ProcessInstance, appeal.instance_id)
    assert instance is not None and instance.status == "error" and instance.state is None
    assert "сервис уведомлений недоступен" in (instance.error_message or "")
    error = db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance.id,
                                                           InstanceEvent.kind == "error")).one()
    assert error.data is not None and error.data["initial_data"]["appeal_id"] == appeal.id

    services_of(app).operations = operations  # the service is back
    admin = User(login="admin", role="admin", full_name="admin")
    db.session.add(admin)
    db.session.commit()
    assert retry_instance(instance.id, admin.id).status == "waiting"
    db.session.expire_all()
    appeal = db.session.get(Appeal, registration.appeal.id)
    assert appeal is not None and appeal.status == "assigned" and appeal.organization_id == city.uk1.id
    assert _history(appeal.id)[:5] == ["registered", "manual_handling", "routed", "deadlines", "assigned"]
    assert db.session.scalar(select(func.count()).select_from(HumanTask).where(
        HumanTask.appeal_id == appeal.id, HumanTask.name == "accept", HumanTask.status == "open")) == 1
