"""Shared fixtures: an app on a fresh database (SQLite always; PostgreSQL for tests marked `postgres`),
an in-memory immediate queue, and a fake clock."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from web.app import create_app
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of

# The fake messenger servers (one per test) are fixtures for every test package.
pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("OTKLIK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("OTKLIK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# In CI the services must answer: a missing server fails the run instead of skipping half of it.
REQUIRE_SERVICES = os.environ.get("OTKLIK_TEST_REQUIRE_SERVICES") == "1"


def _postgres_answers() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def need(available: bool, what: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} does not answer, and OTKLIK_TEST_REQUIRE_SERVICES=1")
    pytest.skip(f"{what} does not answer")


class PostgresDatabase:
    """A throw-away database on the PostgreSQL server."""

    def __init__(self) -> None:
        self.name = f"otklik_test_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def make_app(tmp_path: Path, database_url: str | None = None, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'otklik.db'}",
        "QUEUE_URL": "memory://",
        "QUEUE_IMMEDIATE": True,
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": True,  # webhook receivers in tests listen on 127.0.0.1
        **overrides,
    }
    app = create_app(config)
    services_of(app).clock = FakeClock()
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'otklik.db'}"
        return
    need(_postgres_answers(), "PostgreSQL")
    database = PostgresDatabase()
    try:
        yield database.url
    finally:
        _dispose_all()
        database.drop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    need(_postgres_answers(), "PostgreSQL")
    database = PostgresDatabase()
    try:
        yield database.url
    finally:
        _dispose_all()
        database.drop()


def _dispose_all() -> None:
    import gc

    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def clock(app: Flask) -> FakeClock:
    fake: FakeClock = services_of(app).clock
    return fake
