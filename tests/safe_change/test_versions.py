"""Versions you can take back: activating an earlier version, and `demo load` never replacing a person's choice."""
from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.conftest import make_app
from tests.safe_change.sla_files import BPMN, contract_sla, upload, with_cell
from tests.web.helpers import PASSWORD, csrf_token, login, user_with_token
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.audit.models import AuditEntry
from workflows.db import db
from workflows.runtime.bundled import deploy_bundled
from workflows.runtime.definitions import current_version, deploy


def _resolve_days(client, headers: dict[str, str], city: City) -> timedelta:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/appeals", headers=headers, json={
        "text": "Не работает домофон", "channel": "phone", "category": "management", "emergency": False,
        "building_id": city.sovetskaya_45.id})
    assert answer.status_code == 201, answer.get_json()
    appeal = db.session.get(Appeal, answer.get_json()["id"])
    assert appeal is not None and appeal.status == "assigned"
    return appeal.resolve_due_at - appeal.created_at


def test_activating_the_earlier_sla_version_changes_the_next_appeals_deadlines(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    designer = user_with_token("designer", "designer")
    dispatcher = user_with_token("dispatcher", "dispatcher")
    client = app.test_client()
    faster = with_cell("request", 1, '"P5D"').replace(b'<text>"working"</text>', b'<text>"calendar"</text>')
    assert client.post("/api/v1/processes", headers=designer, data=upload(faster, "sla.dmn")).status_code == 201
    assert _resolve_days(client, dispatcher, city) == timedelta(days=5)

    answer = client.post("/api/v1/processes/sla/versions/1/activate", headers=designer)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"process_id": "sla", "version": 1, "previous_version": 2, "changed": True}
    after = _resolve_days(client, dispatcher, city)
    # ten working days from Monday 2 November 2026: two weekends and 4 November (Day of National Unity)
    assert after == timedelta(days=15)
    listed = {i["process_id"]: i for i in client.get("/api/v1/processes", headers=designer).get_json()["items"]}
    assert (listed["sla"]["version"], listed["sla"]["current_version"]) == (2, 1)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "activate")).one()
    assert (entry.subject, entry.summary["version"], entry.summary["from_version"]) == ("sla", 1, 2)
    assert entry.actor_id is not None and '"P5D"' in entry.diff

    listed = app.test_cli_runner().invoke(args=["process", "list"]).output.splitlines()
    assert [line.split("\t")[2::3] for line in listed if "\tsla\t" in line] == [["v1", "current"], ["v2"]]
    assert client.post("/api/v1/processes/sla/versions/2/activate", headers=designer).status_code == 200
    assert _resolve_days(client, dispatcher, city) == timedelta(days=5)  # and forward again


def test_an_activation_that_would_strand_appeals_is_refused(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    designer = user_with_token("designer", "designer")
    client = app.test_client()
    strict = re.sub(rb'<spiffworkflow:properties><spiffworkflow:property name="outputDefaults"[^>]*/>'
                    rb'</spiffworkflow:properties>', b"", (BPMN / "appeal.bpmn").read_bytes())
    assert client.post("/api/v1/processes", headers=designer, data=upload(strict, "appeal.bpmn")).status_code == 201
    assert client.post("/api/v1/processes/appeal/versions/1/activate", headers=designer).status_code == 200
    assert client.post("/api/v1/processes", headers=designer, data=upload(contract_sla(), "sla.dmn")).status_code == 201
    answer = client.post("/api/v1/processes/appeal/versions/2/activate", headers=designer)
    assert answer.status_code == 422
    [error] = answer.get_json()["errors"]
    assert (error["element_id"], error["file"]) == ("set_deadlines", "appeal.bpmn")
    assert "читает «calendar», но sla.dmn (решение sla) его не даёт" in error["message"]
    assert answer.get_json()["message"] == "эту версию нельзя сделать текущей: исправьте отмеченные места"
    current = current_version("appeal")
    assert current is not None and current.version == 1
    assert client.post("/api/v1/processes/appeal/versions/9/activate", headers=designer).status_code == 404


def test_the_designer_screen_takes_a_version_back(city_app: tuple[Flask, City]) -> None:
    app, _city = city_app
    create_user("designer", "designer", None, PASSWORD)
    client = app.test_client()
    login(client, "designer")
    faster = with_cell("request", 1, '"P5D"')
    page = client.get("/designer/processes/sla").get_data(as_text=True)
    client.post("/designer/api/deploy", json={"filename": "sla.dmn", "xml": faster.decode()},
                headers={"X-CSRFToken": csrf_token(page)})
    page = client.get("/designer/processes/sla").get_data(as_text=True)
    assert "текущая версия 2" in page and page.count("Сделать текущей") == 1
    answer = client.post("/designer/processes/sla/versions/1/activate", data={"csrf_token": csrf_token(page)},
                         follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "текущая версия 1 (была 2); новые обращения пойдут по ней" in text
    assert "текущая версия 1)" in text and "возврат к версии" in text


def _bundle(tmp_path: Path, sla: bytes | None = None) -> list[Path]:
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    for source in sorted(BPMN.glob("*.dmn")) + sorted(BPMN.glob("*.bpmn")):
        target = folder / source.name
        target.write_bytes(sla if sla is not None and source.name == "sla.dmn" else source.read_bytes())
    return sorted(folder.glob("*.dmn")) + sorted(folder.glob("*.bpmn"))


def test_demo_load_keeps_a_version_a_person_deployed(city_app: tuple[Flask, City], tmp_path: Path) -> None:
    app, _city = city_app  # the city deploys the bundle as a person would (tests/appeals/city.py)
    for version in db.session.scalars(select(current_version.__globals__["ProcessVersion"])):
        version.source = "bundled"  # as `demo load` would have deployed them
    db.session.commit()
    designer = user_with_token("designer", "designer")
    client = app.test_client()
    assert client.post("/api/v1/processes", headers=designer, data=upload(contract_sla(), "sla.dmn")).status_code == 201

    outcome = deploy_bundled(_bundle(tmp_path, sla=with_cell("request", 1, '"P12D"')))
    assert outcome.kept == ["sla"] and outcome.deployed == [] and outcome.refused == []
    current = current_version("sla")
    assert current is not None and current.version == 2 and current.source == "person"

    changed_appeal = (BPMN / "appeal.bpmn").read_bytes().replace("Обращение жителя".encode(), "Обращение".encode())
    files = _bundle(tmp_path)
    (tmp_path / "bundle" / "appeal.bpmn").write_bytes(changed_appeal)
    outcome = deploy_bundled(files)  # the bundled appeal.bpmn changed and nobody deployed it since: it goes in
    assert outcome.deployed == ["appeal v2"] and outcome.kept == ["sla"]
    assert deploy_bundled(files).deployed == []  # unchanged since: nothing to do


def test_demo_load_twice_after_a_designer_deploy_keeps_the_designers_table(any_db_url: str, tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(tmp_path, any_db_url)
    with app.app_context():
        runner = app.test_cli_runner()
        assert runner.invoke(args=["demo", "load", "--buildings", "5", "--history-days", "0"]).exit_code == 0
        first = current_version("sla")
        assert first is not None and (first.version, first.source) == (1, "bundled")
        deploy([("sla.dmn", contract_sla())], deployed_by_id=None)  # e.g. `otklik process deploy sla.dmn`
        with caplog.at_level(logging.WARNING):
            assert runner.invoke(args=["demo", "load", "--buildings", "5", "--history-days", "0"]).exit_code == 0
        kept = current_version("sla")
        assert kept is not None and (kept.version, kept.source) == (2, "person")
        assert "диаграммы из bpmn/: sla: оставлена версия, выбранная человеком" in caplog.text
        db.session.remove()
