from __future__ import annotations

import pytest
from flask import Flask

from tests.appeals.city import City, build_city


@pytest.fixture
def db_city(db_app: Flask) -> City:
    return build_city()

