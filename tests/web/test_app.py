"""The factory, health, the process API and the CLI."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Flask

from tests.conftest import make_app
from tests.web.helpers import user_with_token
from tests.workflows.runtime_helpers import DATA
from workflows.db import db
from workflows.runtime.models import ProcessVersion


def test_factory_reads_prefixed_environment(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OTKLIK_TIMEZONE", "Europe/Samara")
    monkeypatch.setenv("OTKLIK_TELEGRAM_RATE", "7")
    app = make_app(tmp_path)
    assert app.config["TIMEZONE"] == "Europe/Samara"
    assert app.config["TELEGRAM_RATE"] == 7 and app.config["VK_RATE"] == 15


def test_factory_generates_a_secret_key_once_into_the_instance_folder(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from web.app import create_app

    monkeypatch.setenv("OTKLIK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("OTKLIK_SECRET_KEY", raising=False)
    first = create_app({"QUEUE_URL": "memory://"}).config["SECRET_KEY"]
    second = create_app({"QUEUE_URL": "memory://"}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_healthz_answers_ok_when_database_and_queue_answer(app: Flask) -> None:
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_process_api_deploys_and_lists_versions(app: Flask) -> None:
    client = app.test_client()
    designer = user_with_token("designer", "designer")
    content = (DATA / "review.bpmn").read_bytes()
    answer = client.post("/api/v1/processes", headers=designer,
                         data={"file": (io.BytesIO(content), "review.bpmn")})
    assert answer.status_code == 201 and answer.get_json()["process_id"] == "review"
    assert answer.get_json()["version"] == 1
    listed = client.get("/api/v1/processes", headers=designer).get_json()["items"]
    assert [(i["process_id"], i["version"]) for i in listed] == [("review", 1)]


def test_process_api_refuses_a_broken_diagram_with_element_and_line(app: Flask) -> None:
    client = app.test_client()
    designer = user_with_token("designer", "designer")
    broken = (DATA / "escalate.bpmn").read_text().replace("breached = True", "breached = = True")
    answer = client.post("/api/v1/processes", headers=designer,
                         data={"file": (io.BytesIO(broken.encode()), "escalate.bpmn")})
    assert answer.status_code == 422
    errors = answer.get_json()["details"]["errors"]
    assert answer.get_json()["errors"] == errors
    assert any(e["element_id"] == "note_breach" and e["line"] for e in errors), errors
    assert db.session.query(ProcessVersion).count() == 0


def test_process_api_refuses_entities_and_non_designers(app: Flask) -> None:
    client = app.test_client()
    designer = user_with_token("designer", "designer")
    dispatcher = user_with_token("disp", "dispatcher")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b"<definitions>&lol2;</definitions>")
    answer = client.post("/api/v1/processes", headers=designer, data={"file": (io.BytesIO(bomb), "bomb.bpmn")})
    assert answer.status_code == 422
    assert "lollol" not in answer.get_data(as_text=True)
    content = (DATA / "review.bpmn").read_bytes()
    refused = client.post("/api/v1/processes", headers=dispatcher, data={"file": (io.BytesIO(content), "r.bpmn")})
    assert refused.status_code == 403
    assert client.post("/api/v1/processes", headers=designer, data={}).status_code == 422


def test_cli_creates_users_and_prints_only_the_token(app: Flask) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(args=["user", "create", "ivanova", "--role", "dispatcher", "--password-stdin"],
                         input="Long-enough-1\n")
    assert made.exit_code == 0, made.output
    token = runner.invoke(args=["token", "create", "ivanova"])
    assert token.exit_code == 0
    assert len(token.stdout.strip().splitlines()) == 1 and len(token.stdout.strip()) >= 20
    bad = runner.invoke(args=["user", "create", "x", "--role", "org_staff"])
    assert bad.exit_code == 1 and "организации" in bad.output


def test_cli_deploys_and_lists_processes(app: Flask) -> None:
    runner = app.test_cli_runner()
    deployed = runner.invoke(args=["process", "deploy", str(DATA / "review.bpmn"), str(DATA / "service.bpmn")])
    assert deployed.exit_code == 0, deployed.output
    listed = runner.invoke(args=["process", "list"]).output
    assert "review" in listed and "service" in listed
    broken = Path(app.instance_path) / "broken.bpmn"
    broken.write_text("<bpmn:definitions")
    refused = runner.invoke(args=["process", "deploy", str(broken)])
    assert refused.exit_code == 1 and "line" in refused.output
