"""Delivery fixtures: apps wired to the fake messengers, immediate (fake clock) or real-time."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.clock import FakeClock, SystemClock
from workflows.db import db
from workflows.services import services_of


@pytest.fixture
def wired_app(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> Iterator[Flask]:
    """Immediate queue and the fake clock (12:00 in Moscow): a commit sends at once, in the test's thread."""
    app = make_app(tmp_path, **fake_settings(fake_telegram), **fake_settings(fake_max, "max"),
                   TELEGRAM_WEBHOOK_SECRET="tg-secret", MAX_WEBHOOK_SECRET="max-secret")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def live_app(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> Iterator[Flask]:
    """A real queue worked by threads (see InProcessWorker) and the system clock; no quiet hours."""
    app = make_app(tmp_path, QUEUE_IMMEDIATE=False, DELIVERY_QUIET_HOURS="off",
                   **fake_settings(fake_telegram), **fake_settings(fake_max, "max"))
    services_of(app).clock = SystemClock()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def clock(wired_app: Flask) -> FakeClock:
    """The wired app's fake clock (shadows the root fixture, which would build a second app)."""
    fake: FakeClock = services_of(wired_app).clock
    return fake
