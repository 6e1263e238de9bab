"""The admin page of failed instances: grouped by message, bulk retry once the cause is fixed."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.registering import register_appeal
from tests.web.helpers import PASSWORD, csrf_token, login
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.failures.models import AlertContact
from workflows.runtime.models import HumanTask
from workflows.runtime.operations import ServiceCall
from workflows.services import services_of


def _down(call: ServiceCall) -> Any:
    raise RuntimeError("сервис уведомлений недоступен")


def _flaky_dispatch(call: ServiceCall) -> Any:
    raise KeyError("organization_id")


def test_failed_appeals_are_grouped_by_message_and_retried_together(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    create_user("admin", "admin", None, PASSWORD)
    operations = dict(services_of(app).operations)
    services_of(app).operations = {**operations, "appeal_assigned": _down}
    down = [register_appeal({"text": "Течёт крыша", "channel": "phone", "category": "roof",
                             "building_id": city.sovetskaya_45.id}).appeal.id for _ in range(3)]
    services_of(app).operations = {**operations, "route_appeal": _flaky_dispatch}
    other = register_appeal({"text": "Нет света в подъезде", "channel": "phone", "category": "entrance",
                             "building_id": city.sovetskaya_47.id}).appeal.id
    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/failures").get_data(as_text=True)
    assert "Процессы, остановившиеся с ошибкой: 4." in page
    assert "Обращение жителя: 3" in page and "Обращение жителя: 1" in page
    assert page.index("Обращение жителя: 3") < page.index("Обращение жителя: 1")  # the largest group first
    assert "операция «appeal_assigned» завершилась ошибкой: сервис уведомлений недоступен" in page
    assert "Повторить все (3)" in page
    numbers = list(db.session.scalars(select(Appeal.number).where(Appeal.id.in_(down)).order_by(Appeal.id)))
    assert all(number in page for number in numbers)

    services_of(app).operations = operations  # the service is back
    group = page.split('name="group" value="')[1].split('"')[0]
    answer = client.post("/admin/failures/retry", data={"group": group, "csrf_token": csrf_token(page)},
                         follow_redirects=True)
    after = answer.get_data(as_text=True)
    assert "Повторено: 3; продолжились: 3; снова с ошибкой: 0" in after
    assert "Процессы, остановившиеся с ошибкой: 1." in after
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Appeal.id, Appeal.status).where(Appeal.id.in_([*down, other]))).all())
    assert statuses == {down[0]: "assigned", down[1]: "assigned", down[2]: "assigned", other: "manual"}
    open_manual = db.session.scalars(select(HumanTask.appeal_id).where(HumanTask.name == "manual_handling",
                                                                       HumanTask.status == "open"))
    assert list(open_manual) == [other]


def test_only_admins_see_the_page(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    create_user("dispatcher", "dispatcher", None, PASSWORD)
    client = app.test_client()
    login(client, "dispatcher")
    assert client.get("/admin/failures").status_code == 403


def test_alert_addresses_are_set_from_the_command_line(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    create_user("coordinator", "coordinator", None, PASSWORD)
    create_user("uk_staff", "org_staff", _city.uk1.id, PASSWORD)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "alerts", "coordinator", "max", "2002"]).exit_code == 0
    assert runner.invoke(args=["user", "alerts", "coordinator", "max", "2003"]).exit_code == 0
    refused = runner.invoke(args=["user", "alerts", "uk_staff", "email", "a@b.example"])
    assert refused.exit_code != 0 and "оповещения о сбоях получают администраторы и координаторы" in refused.output
    rows = db.session.execute(select(AlertContact.channel, AlertContact.address)).all()
    assert rows == [("max", "2003")]
