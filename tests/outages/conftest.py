"""Outage fixtures: an app wired to a fake Telegram without rate limits, and a small city with its diagrams."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import GrantAll
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(global_per_second=100000, private_per_second=100000) as fake:
        yield fake


@pytest.fixture
def app(tmp_path: Path, telegram: FakeTelegram) -> Iterator[Flask]:
    """Immediate queue, fake clock at 12:00 Moscow time: a commit sends its notices at once."""
    application = make_app(tmp_path, TELEGRAM_API_URL=telegram.url, TELEGRAM_TOKEN=telegram.token,
                           TELEGRAM_TIMEOUT=5, TELEGRAM_RATE=100000, TELEGRAM_BOT_NAME="otklik_test_bot")
    services_of(application).limiter = GrantAll()
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def clock(app: Flask) -> FakeClock:
    fake: FakeClock = services_of(app).clock
    return fake


@pytest.fixture
def city(app: Flask) -> City:
    return build_city()
