from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of


@pytest.fixture
def db_app(any_db_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def db_city(db_app: Flask) -> City:
    return build_city()


@pytest.fixture
def db_clock(db_app: Flask) -> FakeClock:
    fake: FakeClock = services_of(db_app).clock
    return fake
