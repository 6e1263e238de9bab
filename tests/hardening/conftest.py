"""Hardening tests run on SQLite and PostgreSQL: every fixture app here sits on `any_db_url`."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.web.helpers import user_with_token


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WEBHOOK_ALLOW_PRIVATE_TARGETS": False}  # as in production: no webhooks to private addresses


@pytest.fixture
def app(db_app: Flask) -> Flask:
    """The shared db_app (tests/conftest.py), under the name the root fixtures (`client`, `clock`) take."""
    return db_app


@pytest.fixture
def city(app: Flask) -> City:
    return build_city()


@pytest.fixture
def dispatcher(city: City) -> dict[str, str]:
    return user_with_token("cgds-dispatcher", "dispatcher", city.cgds)
