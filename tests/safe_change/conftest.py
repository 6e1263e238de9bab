from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from workflows.db import db


@pytest.fixture
def city_app(any_db_url: str, tmp_path: Path) -> Iterator[tuple[Flask, City]]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application, build_city()
        db.session.remove()
