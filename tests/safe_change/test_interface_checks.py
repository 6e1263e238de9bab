"""Deploys are checked against what the current processes need from decision tables and operations."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.safe_change.sla_files import BPMN, contract_sla, upload, without_output
from tests.web.helpers import user_with_token
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.runtime.models import HumanTask, ProcessVersion


def _appeal(client, headers: dict[str, str], city: City, category: str = "roof") -> dict:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/appeals", headers=headers, json={
        "text": "Течёт крыша над кухней", "channel": "phone", "category": category, "emergency": False,
        "building_id": city.sovetskaya_45.id})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_the_contracts_two_output_sla_table_deploys_and_the_next_appeal_is_routed_on_calendar_days(
        city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    designer = user_with_token("designer", "designer")
    dispatcher = user_with_token("dispatcher", "dispatcher")
    client = app.test_client()
    answer = client.post("/api/v1/processes", headers=designer, data=upload(contract_sla(), "sla.dmn"))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["version"] == 2
    created = _appeal(client, dispatcher, city, category="management")  # the catch-all rule: P1D / P10D
    appeal = db.session.get(Appeal, created["id"])
    assert appeal is not None and appeal.status == "assigned" and appeal.organization_id == city.uk1.id
    assert appeal.resolve_due_at - appeal.created_at == timedelta(days=10)  # calendar days, not working days
    assert db.session.scalar(select(HumanTask.name).where(HumanTask.appeal_id == appeal.id)) == "accept"


def test_a_table_without_an_output_the_appeal_process_reads_is_refused_naming_both_sides(
        city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    answer = app.test_client().post("/api/v1/processes", headers=designer,
                                    data=upload(without_output("resolve_within"), "sla.dmn"))
    assert answer.status_code == 422
    body = answer.get_json()
    [error] = body["errors"]
    assert error["element_id"] == "sla" and error["line"] == 3 and error["file"] == "sla.dmn"
    assert error["message"].startswith(
        "sla.dmn больше не даёт «resolve_within», а appeal.bpmn читает его в задаче set_deadlines (строка ")
    assert body["message"] == "диаграмму нельзя развернуть: исправьте отмеченные места"
    assert db.session.scalar(select(ProcessVersion.version).where(ProcessVersion.key == "sla")
                             .order_by(ProcessVersion.version.desc())) == 1  # nothing deployed


def test_a_diagram_that_reads_a_key_its_operation_does_not_return_is_refused_on_the_reading_element(
        city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    original = (BPMN / "appeal.bpmn").read_bytes()
    flow = original.index(b'id="to_known"')
    changed = original[:flow] + original[flow:].replace(b"routed[&#x27;joined&#x27;]", b"routed[&#x27;merged&#x27;]", 1)
    line = original[:flow].count(b"\n") + 1
    answer = app.test_client().post("/api/v1/processes", headers=designer, data=upload(changed, "appeal.bpmn"))
    assert answer.status_code == 422
    [error] = answer.get_json()["errors"]
    assert error["element_id"] == "to_known" and error["file"] == "appeal.bpmn" and error["line"] == line
    assert ("читает routed['merged'], но операция «appeal_absorbed», «appeal_rerouted», «route_appeal» "
            "такого ключа не возвращает") in error["message"]


def test_a_diagram_calling_an_unknown_operation_or_missing_a_parameter_is_refused(
        city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    changed = (BPMN / "appeal.bpmn").read_bytes().replace(
        b'serviceTaskOperator id="appeal_closed"', b'serviceTaskOperator id="appeal_close"').replace(
        b'<spiffworkflow:parameter id="template" type="any" value="&#x27;joined_incident&#x27;"/>', b"")
    answer = app.test_client().post("/api/v1/processes", headers=designer, data=upload(changed, "appeal.bpmn"))
    assert answer.status_code == 422
    messages = {(e["element_id"], e["message"]) for e in answer.get_json()["errors"]}
    assert messages == {
        ("close", "appeal.bpmn: задача close вызывает операцию «appeal_close», которой нет в приложении"),
        ("tell_known", "appeal.bpmn: задача tell_known не передаёт операции «notify_applicant» обязательный "
                       "параметр «template»"),
    }
