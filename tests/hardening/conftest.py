"""Hardening tests run on SQLite and PostgreSQL: every fixture app here sits on `any_db_url`."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.web.helpers import user_with_token
from workflows.db import db


@pytest.fixture
def app(any_db_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path, any_db_url, WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def city(app: Flask) -> City:
    return build_city()


@pytest.fixture
def dispatcher(city: City) -> dict[str, str]:
    return user_with_token("cgds-dispatcher", "dispatcher", city.cgds)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
