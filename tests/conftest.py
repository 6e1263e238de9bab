"""Shared fixtures: an app on a fresh database (SQLite always; PostgreSQL for tests marked `postgres`),
an in-memory immediate queue, and a fake clock."""
from __future__ import annotations

import os
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, create_engine, event, text

from web.app import create_app
from workflows.accounts import service as accounts
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of

# Passwords in tests are argon2id with the smallest parameters. The product's hasher (64 MiB, 3 passes, 4 lanes)
# takes 0.15 s to hash and as long to verify, and the tests create users and log in over a thousand times; what
# they check is who may log in and what they see, not the cost. tests/hardening/test_passwords.py holds the
# product's parameters to their values.
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# The fake messenger servers (one per test) are fixtures for every test package.
pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("OTKLIK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _worker_redis_url(url: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, ...) gets its own Redis database: the given one, then the ones below it,
    so tests that flush their database never flush another worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    if not number.isdigit():
        return url
    return f"{base}/{(int(number) - int(worker[2:])) % 16}"


REDIS_URL = _worker_redis_url(os.environ.get("OTKLIK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
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
    """A throw-away database on the PostgreSQL server, copied from `template` when one is given."""

    def __init__(self, template: str | None = None) -> None:
        self.name = f"otklik_test_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        copy_of = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"{copy_of}'))
        self.url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()

    def empty(self) -> None:
        """Every row deleted and every sequence restarted: as the template left it, in a few milliseconds (copying
        the template and dropping the copy cost a second or more while other tests write)."""
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
                sequences = conn.scalars(text("SELECT sequencename FROM pg_sequences "
                                              "WHERE schemaname = 'public'")).all()
                statements = ["SET session_replication_role = replica"]  # no foreign-key order to follow
                statements += [f'DELETE FROM "{table}"' for table in tables]
                statements += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
                conn.exec_driver_sql("; ".join(statements))
        finally:
            engine.dispose()


# Databases copied from the template, emptied and handed out again within this test process (xdist worker).
_SPARE_DATABASES: list[PostgresDatabase] = []


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


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application's schema, created once per test process in a template database; each test's PostgreSQL
    database is a copy of it (CREATE DATABASE ... TEMPLATE), so no test pays for creating seventy tables."""
    need(_postgres_answers(), "PostgreSQL")
    template = PostgresDatabase()
    make_app(tmp_path_factory.mktemp("pg-template"), template.url)
    _dispose_all()  # a template must have no connections when it is copied
    try:
        yield template.name
    finally:
        _dispose_all()
        while _SPARE_DATABASES:
            _SPARE_DATABASES.pop().drop()
        template.drop()


def _postgres_copy(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with the application's schema and no rows: a spare one emptied, or a new copy of the template."""
    template = request.getfixturevalue("pg_template")
    if _SPARE_DATABASES:
        database = _SPARE_DATABASES.pop()
        database.empty()
    else:
        database = PostgresDatabase(template=template)
    try:
        yield database.url
    finally:
        _dispose_all()
        _SPARE_DATABASES.append(database)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'otklik.db'}"
        return
    yield from _postgres_copy(request)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from _postgres_copy(request)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, on SQLite and on PostgreSQL, for the migrations' own tests."""
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


# Every engine a test connects, so the test's database can be dropped without walking the whole heap.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _remember_engine(connection: Connection) -> None:
    _ENGINES.add(connection.engine)


def _dispose_all() -> None:
    for engine in list(_ENGINES):
        engine.dispose()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Settings db_app adds to make_app's: a package's conftest or a module overrides this fixture."""
    return {}


@pytest.fixture
def db_app(any_db_url: str, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """An app on SQLite and, for the same test, on PostgreSQL."""
    application = make_app(tmp_path, any_db_url, **app_config)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def db_clock(db_app: Flask) -> FakeClock:
    fake: FakeClock = services_of(db_app).clock
    return fake


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
