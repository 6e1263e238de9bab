"""Fan-out: an outage over 300 buildings reaches every active representative exactly once — none in a wave
that is off, none who left. The outbox is worked by in-process worker threads, as in production."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City
from tests.conftest import make_app
from tests.delivery.helpers import InProcessWorker, wait_until
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import GrantAll, enrolled, register, street, wave
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import delivery_stats
from workflows.outages import representatives as reps
from workflows.services import services_of


@pytest.fixture
def app(tmp_path: Path, telegram: FakeTelegram) -> Iterator[Flask]:
    application = make_app(tmp_path, QUEUE_IMMEDIATE=False, TELEGRAM_API_URL=telegram.url,
                           TELEGRAM_TOKEN=telegram.token, TELEGRAM_TIMEOUT=5, TELEGRAM_RATE=100000)
    services_of(application).limiter = GrantAll()
    with application.app_context():
        yield application
        db.session.remove()


def test_an_outage_over_300_buildings_reaches_every_active_representative_exactly_once(
        app: Flask, city: City, clock: FakeClock, telegram: FakeTelegram) -> None:
    on, off = wave("Октябрьский, волна 2", True), wave("Октябрьский, волна 3", False)
    suppliers = {"cold_water": city.water}
    enabled = street("Сенько", 300, city.uk1, suppliers, on)
    disabled = street("Рылеева", 20, city.uk1, suppliers, off)
    active = [enrolled(b, 100000 + i) for i, b in enumerate(enabled)]
    silent = [enrolled(b, 200000 + i) for i, b in enumerate(enabled) if i % 10 == 0]
    for leaver in silent:
        reps.leave(leaver)
    silent += [enrolled(b, 300000 + i) for i, b in enumerate(disabled)]
    db.session.commit()

    with InProcessWorker(app, threads=6):
        outage = register(city.water, enabled + disabled, clock.now() + timedelta(minutes=5), 3)
        assert wait_until(lambda: len(telegram.all_messages()) >= 300, timeout=120)
    db.session.expire_all()

    received = Counter(m.chat for m in telegram.all_messages())
    assert {rep.address for rep in active} == set(received)
    assert set(received.values()) == {1}
    assert not {rep.address for rep in silent} & set(received)
    assert delivery_stats(f"outage:{outage.id}")["sent"] == 300
    text = telegram.messages_to(active[0].address)[0]
    assert "Сенько, д. 1" in text.text and "холодной воды" in text.text and city.water.name in text.text
    assert [b.text for b in text.buttons] == ["Передал жителям"]
