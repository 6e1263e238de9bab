"""Bot fixtures: an app wired to the fake Telegram and MAX (immediate queue, fake clock at noon)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.db import db


@pytest.fixture
def bot_app(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> Iterator[Flask]:
    # the test forgets our rate slots between steps (fake clock), so the fakes must not count them either
    fake_telegram.enforce_limits = fake_max.enforce_limits = False
    app = make_app(tmp_path, **fake_settings(fake_telegram), **fake_settings(fake_max, "max"),
                   TELEGRAM_WEBHOOK_SECRET="tg-secret")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def city(bot_app: Flask) -> City:
    return build_city()
