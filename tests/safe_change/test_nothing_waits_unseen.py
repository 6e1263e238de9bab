"""A failed instance becomes a ЦГДС `manual_handling` task in the failing transaction, with one alert per kind."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.outages.helpers import register
from tests.registering import register_appeal
from tests.web.helpers import login
from workflows import clock
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.errors import ProcessFailed, ValidationFailed
from workflows.failures.models import AlertContact, FailureAlert
from workflows.runtime.models import HumanTask, ProcessInstance
from workflows.runtime.operations import ServiceCall
from workflows.runtime.tasks import complete_task
from workflows.services import services_of


def _unavailable(call: ServiceCall) -> Any:
    raise RuntimeError("сервис уведомлений недоступен")


def _break(app: Flask, operation: str) -> dict[str, Any]:
    operations = dict(services_of(app).operations)
    services_of(app).operations = {**operations, operation: _unavailable}
    return operations


def _contacts() -> tuple[User, User]:
    admin = create_user("admin", "admin", None, "Correct-horse-1")
    coordinator = create_user("coordinator", "coordinator", None, "Correct-horse-1")
    db.session.add_all([AlertContact(user_id=admin.id, channel="telegram", address="1001"),
                        AlertContact(user_id=admin.id, channel="email", address="admin@tambov.example"),
                        AlertContact(user_id=coordinator.id, channel="max", address="2002")])
    db.session.commit()
    return admin, coordinator


def _appeal(city: City, category: str = "roof") -> Appeal:
    return register_appeal({"text": "Течёт крыша над кухней", "channel": "phone", "category": category,
                            "building_id": city.sovetskaya_45.id}).appeal


def _manual_tasks() -> list[HumanTask]:
    return list(db.session.scalars(select(HumanTask).where(HumanTask.name == "manual_handling")
                                   .order_by(HumanTask.id)))


def test_ten_appeals_failing_at_start_get_ten_tasks_and_one_alert_per_kind(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    _contacts()
    _break(app, "appeal_assigned")
    appeals = [_appeal(city) for _ in range(10)]
    db.session.expire_all()

    tasks = _manual_tasks()
    assert [t.appeal_id for t in tasks] == [a.id for a in appeals]
    first = tasks[0]
    assert (first.roles, first.lane, first.status, first.organization_id) == (
        "dispatcher coordinator", "ЦГДС", "open", None)
    assert first.title == f"Ручная обработка обращения {appeals[0].number}"
    failure = ("Процесс «Обращение жителя», шаг «Назначить организации»: операция «appeal_assigned» "
               "завершилась ошибкой: сервис уведомлений недоступен.")
    assert first.form["description"] == failure
    assert [o["const"] for o in first.form["properties"]["action"]["oneOf"]] == ["retry", "assign"]
    statuses = db.session.scalars(select(Appeal.status).where(Appeal.id.in_([a.id for a in appeals])))
    assert set(statuses) == {"manual"}

    [alert] = db.session.scalars(select(FailureAlert))
    assert (alert.failures, alert.process_id, alert.element_id) == (10, "appeal", "assign")
    sent = db.session.execute(select(OutboxMessage.channel, OutboxMessage.address, OutboxMessage.urgent)
                              .order_by(OutboxMessage.id)).all()
    assert sent == [("telegram", "1001", True), ("email", "admin@tambov.example", True), ("max", "2002", True)]
    text = db.session.scalar(select(OutboxMessage.text).limit(1)) or ""
    assert text.startswith(f"{failure}\nПервое затронутое: обращение {appeals[0].number}.")


def test_the_same_kind_an_hour_later_alerts_again(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    _contacts()
    _break(app, "appeal_assigned")
    _appeal(city)
    services_of(app).clock.advance(timedelta(hours=1, minutes=1))
    _appeal(city)
    assert db.session.scalar(select(func.count()).select_from(FailureAlert)) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 6


def test_a_failure_at_a_later_step_opens_the_task_in_the_same_transaction(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    appeal = _appeal(city)
    staff = create_user("uk1", "org_staff", city.uk1.id, "Correct-horse-1")
    [accept] = db.session.scalars(select(HumanTask).where(HumanTask.appeal_id == appeal.id))
    _break(app, "appeal_accepted")
    with pytest.raises(ProcessFailed):
        complete_task(accept.id, staff, {"decision": "accept"})
    db.session.rollback()  # whatever the caller does next, the failure and its task were committed
    db.session.expire_all()
    [task] = _manual_tasks()
    assert task.appeal_id == appeal.id and task.instance_id == appeal.instance_id
    stored = db.session.get(Appeal, appeal.id)
    assert stored is not None and stored.status == "manual"
    event = db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal.id,
                                                         AppealEvent.kind == "manual_handling")).one()
    assert event.data == {"instance_id": appeal.instance_id, "previous_status": "assigned"}


def test_retry_once_the_cause_is_fixed_continues_the_appeal_and_closes_the_task(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    dispatcher = create_user("dispatcher", "dispatcher", None, "Correct-horse-1")
    operations = _break(app, "appeal_assigned")
    appeal = _appeal(city)
    [task] = _manual_tasks()
    with pytest.raises(ProcessFailed) as still:
        complete_task(task.id, dispatcher, {"action": "retry"})
    assert still.value.message == "повтор не помог: операция «appeal_assigned» завершилась ошибкой: " \
                                  "сервис уведомлений недоступен"
    assert [t.status for t in _manual_tasks()] == ["open"]  # still one task, still open
    services_of(app).operations = operations
    complete_task(task.id, dispatcher, {"action": "retry"})
    db.session.expire_all()
    stored = db.session.get(Appeal, appeal.id)
    assert stored is not None and stored.status == "assigned" and stored.organization_id == city.uk1.id
    [done] = _manual_tasks()
    assert (done.status, done.completed_by_id) == ("completed", dispatcher.id)
    assert db.session.scalar(select(HumanTask.name).where(HumanTask.appeal_id == appeal.id,
                                                          HumanTask.status == "open")) == "accept"


def test_assigning_by_hand_continues_the_appeal_under_a_fresh_instance(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    dispatcher = create_user("dispatcher", "dispatcher", None, "Correct-horse-1")
    operations = _break(app, "route_appeal")
    appeal = _appeal(city)
    failed_instance = appeal.instance_id
    [task] = _manual_tasks()
    with pytest.raises(ValidationFailed) as refused:
        complete_task(task.id, dispatcher, {"action": "assign", "organization_id": city.uk2.id,
                                            "accept_within": "скоро", "resolve_within": "P2D"})
    assert refused.value.details == {"accept_within": "срок в формате ISO 8601, например PT2H или P1D"}
    services_of(app).operations = operations  # routing works again; the dispatcher still chooses
    complete_task(task.id, dispatcher, {"action": "assign", "organization_id": city.uk2.id,
                                        "accept_within": "PT3H", "resolve_within": "P2D", "comment": "по звонку"})
    db.session.expire_all()
    stored = db.session.get(Appeal, appeal.id)
    assert stored is not None and stored.instance_id != failed_instance
    assert (stored.status, stored.organization_id) == ("assigned", city.uk2.id)
    assert stored.accept_due_at - stored.created_at == timedelta(hours=3)
    assert stored.resolve_due_at - stored.created_at == timedelta(days=2)
    old = db.session.get(ProcessInstance, failed_instance)
    assert old is not None and old.status == "cancelled"
    [accept] = db.session.scalars(select(HumanTask).where(HumanTask.appeal_id == appeal.id, HumanTask.status == "open"))
    assert (accept.name, accept.organization_id) == ("accept", city.uk2.id)
    kinds = list(db.session.scalars(select(AppealEvent.kind).where(AppealEvent.appeal_id == appeal.id)
                                    .order_by(AppealEvent.id)))
    assert kinds[:4] == ["registered", "manual_handling", "manual_assignment", "routed"]


def test_a_failed_outage_instance_reaches_cgds_too(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    _break(app, "outage_notify")
    outage = register(city.water, [city.sovetskaya_45], clock.now() + timedelta(minutes=5), 4)
    [task] = _manual_tasks()
    assert (task.outage_id, task.appeal_id, task.roles) == (outage.id, None, "dispatcher coordinator")
    assert task.title.startswith("Ручная обработка отключения")
    assert [o["const"] for o in task.form["properties"]["action"]["oneOf"]] == ["retry"]


def test_the_outage_card_says_notices_stopped_until_cgds_acts(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    _break(app, "outage_notify")
    create_user("dispatcher", "dispatcher", None, "Correct-horse-1")
    outage = register(city.water, [city.sovetskaya_45], clock.now() + timedelta(minutes=5), 4)
    [task] = _manual_tasks()
    client = app.test_client()
    login(client, "dispatcher", "Correct-horse-1")
    page = client.get(f"/staff/outages/{outage.id}").get_data(as_text=True)
    assert "Процесс отключения остановился: уведомления представителям не уходят" in page
    assert f"/tasks/{task.id}" in page
    assert "операция «outage_notify» завершилась ошибкой: сервис уведомлений недоступен" in page
