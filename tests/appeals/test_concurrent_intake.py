"""Registrations in flight at the same time must not wait for each other (PostgreSQL)."""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select, text

from tests.appeals.city import build_city
from tests.conftest import make_app
from workflows.appeals.intake import register_appeal
from workflows.appeals.models import Appeal
from workflows.db import db


def test_a_registration_does_not_wait_for_another_one_still_in_its_transaction(pg_url: str, tmp_path: Path) -> None:
    app = make_app(tmp_path, pg_url)
    with app.app_context():
        city = build_city()
        building_id = city.sovetskaya_45.id
    payload = {"text": "Течёт крыша", "channel": "phone", "building_id": building_id, "category": "roof"}
    first_in_flight, second_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    original_commit = db.session.commit

    def held_commit() -> None:  # the first registration keeps its transaction open until the second is through
        if threading.current_thread().name == "first":
            first_in_flight.set()
            second_done.wait(10)
        original_commit()

    def first() -> None:
        with app.app_context():
            try:
                outcome["first"] = register_appeal(payload).appeal.number
                db.session.commit()  # register_appeal flushes; its caller commits
            finally:
                db.session.remove()

    def second() -> None:
        first_in_flight.wait(10)
        with app.app_context():
            try:
                # Waiting on the first transaction's rows would fail here instead of hanging.
                db.session.execute(text("SET lock_timeout = '3s'"))
                outcome["second"] = register_appeal(payload).appeal.number
                db.session.commit()
            except Exception as err:  # noqa: BLE001 - reported by the assertion below
                outcome["second_error"] = repr(err)
            finally:
                second_done.set()
                db.session.remove()

    threads = [threading.Thread(target=first, name="first"), threading.Thread(target=second, name="second")]
    db.session.commit = held_commit  # type: ignore[method-assign]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        del db.session.commit
    assert "second_error" not in outcome, outcome.get("second_error")
    assert outcome["first"] != outcome["second"]
    with app.app_context():
        numbers = set(db.session.scalars(select(Appeal.number)))
        assert numbers == {outcome["first"], outcome["second"]}
        assert all(not n.startswith("~") for n in numbers)  # the stand-ins were replaced
        db.session.remove()


def test_registering_writes_the_appeal_row_once_and_updates_it_once(tmp_path: Path) -> None:
    from sqlalchemy import event

    app = make_app(tmp_path)
    with app.app_context():
        building_id = build_city().sovetskaya_45.id
        register_appeal({"text": "Течёт крыша", "channel": "phone", "building_id": building_id, "category": "roof"})
        db.session.commit()
        statements: list[str] = []

        def remember(conn: object, cursor: object, statement: str, *args: object) -> None:
            statements.append(" ".join(statement.split()[:3]).upper())

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            register_appeal({"text": "Нет света в подъезде", "channel": "phone", "building_id": building_id,
                             "category": "entrance"})
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        # the number, the organisation, the deadlines and the instance id go in one UPDATE
        assert statements.count("UPDATE APPEAL SET") == 1
        # one savepoint, the registration's own (it keeps the caller's work if the start fails); none per run
        assert sum(s.startswith("SAVEPOINT") for s in statements) == 1
        db.session.remove()
