"""A pooled PostgreSQL connection is pinged before use only after lying idle (workflows.db.ping_when_idle)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_app
from workflows import db as database
from workflows.db import db

pytestmark = pytest.mark.postgres


def _backend_pid() -> int:
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    db.session.commit()  # the connection goes back to the pool
    assert isinstance(pid, int)
    return pid


def test_a_connection_closed_by_the_server_while_idle_is_replaced_without_an_error(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)  # every checkout counts as after a long idle
    app = make_app(tmp_path, pg_url)
    with app.app_context():
        first = _backend_pid()
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        admin.dispose()
        second = _backend_pid()  # no OperationalError: the ping failed and the pool opened a new connection
        assert second != first


@pytest.mark.parametrize(("idle_window", "pings_expected"), [(3600.0, 0), (0.0, 3)])
def test_a_connection_returned_a_moment_ago_is_not_pinged(tmp_path: Path, pg_url: str, idle_window: float,
                                                          pings_expected: int, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path, pg_url)
    with app.app_context():
        first = _backend_pid()  # the app's connection has been used and returned
        monkeypatch.setattr(database, "PING_AFTER_IDLE", idle_window)
        pings: list[Any] = []
        ping = db.engine.dialect.do_ping

        def counted(connection: Any) -> bool:
            pings.append(connection)
            return bool(ping(connection))

        monkeypatch.setattr(db.engine.dialect, "do_ping", counted)
        assert [_backend_pid() for _ in range(3)] == [first] * 3
        assert len(pings) == pings_expected
