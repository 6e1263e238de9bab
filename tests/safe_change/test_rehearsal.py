"""Scenarios and every rule's outputs are rehearsed on the candidate bundle before a deploy becomes current."""
from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.safe_change.sla_files import BPMN, upload, with_cell
from tests.web.helpers import user_with_token
from workflows.audit.models import AuditEntry
from workflows.db import db
from workflows.runtime.definitions import current_version


def test_a_table_with_a_non_duration_output_is_refused_on_its_rule(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    answer = app.test_client().post("/api/v1/processes", headers=designer,
                                    data=upload(with_cell("request", 1, '"скоро"'), "sla.dmn"))
    assert answer.status_code == 422
    [error] = answer.get_json()["errors"]
    line = (BPMN / "sla.dmn").read_text(encoding="utf-8").split('<rule id="request">')[0].count("\n") + 1
    assert (error["element_id"], error["line"], error["file"]) == ("request", line, "sla.dmn")
    assert error["message"] == (
        "sla.dmn, правило request: выход «resolve_within» = 'скоро' — это не длительность ISO 8601 (например, PT2H "
        "или P1D) (его передаёт appeal.bpmn, задача set_deadlines, в параметр «resolve_within» операции "
        "«appeal_deadlines»)")
    current = current_version("sla")
    assert current is not None and current.version == 1


def test_a_routing_table_naming_an_unknown_kind_of_organisation_is_refused(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    table = with_cell("waste", 0, '"tko_operator"', filename="routing.dmn")
    answer = app.test_client().post("/api/v1/processes", headers=designer, data=upload(table, "routing.dmn"))
    assert answer.status_code == 422
    [error] = answer.get_json()["errors"]
    assert (error["element_id"], error["file"]) == ("waste", "routing.dmn")
    assert "выход «responsible_kind» = 'tko_operator' — такого вида организации нет (есть: uk, rso, gas_emergency, " \
           "cgds)" in error["message"]


def _flipped_appeal() -> bytes:
    """A diagram that passes every interface check but sends every appeal down the incident path."""
    return (BPMN / "appeal.bpmn").read_bytes().replace(
        b">routed[&#x27;joined&#x27;]</bpmn:conditionExpression>",
        b">not routed[&#x27;joined&#x27;]</bpmn:conditionExpression>")


def test_a_diagram_failing_a_scenario_is_refused_with_the_scenario_and_the_step(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    answer = app.test_client().post("/api/v1/processes", headers=designer,
                                    data=upload(_flipped_appeal(), "appeal.bpmn"))
    assert answer.status_code == 422
    body = answer.get_json()
    messages = [e["message"] for e in body["errors"]]
    assert messages[0] == ("сценарий «Обращение принято, устранено, заявитель подтвердил» (appeal), шаг 1 не "
                           "прошёл: готовые задачи [], ожидались ['accept']")
    assert all(e["file"] == "appeal.bpmn" for e in body["errors"])
    assert body["details"]["overridable"] is True


def test_an_admin_may_override_a_failing_scenario_with_a_written_reason(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    admin = user_with_token("admin", "admin")
    client = app.test_client()
    reason = {"override_reason": "сценарии устарели, новый путь согласован с ЦГДС"}
    refused = client.post("/api/v1/processes", headers=designer,
                          data={**upload(_flipped_appeal(), "appeal.bpmn"), **reason})
    assert refused.status_code == 403
    short = client.post("/api/v1/processes", headers=admin,
                        data={**upload(_flipped_appeal(), "appeal.bpmn"), "override_reason": "надо"})
    assert short.status_code == 422 and short.get_json()["details"] == {"override_reason": "от 10 до 2000 символов"}
    answer = client.post("/api/v1/processes", headers=admin,
                         data={**upload(_flipped_appeal(), "appeal.bpmn"), **reason})
    assert answer.status_code == 201 and answer.get_json()["version"] == 2
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "deploy_override")).one()
    assert entry.subject == "appeal" and entry.summary["reason"] == reason["override_reason"]
    assert entry.summary["version"] == 2 and len(entry.summary["errors"]) >= 1
    assert re.match(r"сценарий «.+» \(appeal\)", entry.summary["errors"][0]["message"])


def test_an_interface_refusal_cannot_be_overridden(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    admin = user_with_token("admin", "admin")
    changed = (BPMN / "appeal.bpmn").read_bytes().replace(b'serviceTaskOperator id="appeal_closed"',
                                                          b'serviceTaskOperator id="appeal_close"')
    answer = app.test_client().post("/api/v1/processes", headers=admin, data={
        **upload(changed, "appeal.bpmn"), "override_reason": "очень нужно развернуть сегодня"})
    assert answer.status_code == 422 and "overridable" not in (answer.get_json()["details"] or {})
