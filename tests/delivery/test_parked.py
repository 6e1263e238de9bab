"""A channel that is not configured parks its messages: no attempts spent, released once it is set up."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from workflows.db import db
from workflows.delivery import OutboxMessage, delivery_stats, enqueue
from workflows.delivery.models import PARKED, SENT
from workflows.delivery.progress import parked_channels
from workflows.delivery.sending import deliver
from workflows.delivery.sweep import sweep_outbox
from workflows.services import services_of


@pytest.fixture
def wired_app(any_db_url: str, tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> Iterator[Flask]:
    """Immediate queue and the fake clock, on SQLite and on PostgreSQL."""
    app = make_app(tmp_path, any_db_url, **fake_settings(fake_telegram), **fake_settings(fake_max, "max"))
    with app.app_context():
        yield app
        db.session.remove()


def _unconfigure(app: Flask, channel: str) -> str:
    token = app.config.pop(f"{channel.upper()}_TOKEN")
    services_of(app).connectors.pop(channel, None)
    return str(token)


def test_messages_on_an_unconfigured_channel_wait_parked_until_it_is_configured(wired_app: Flask,
                                                                                fake_max: FakeMax) -> None:
    token = _unconfigure(wired_app, "max")
    for n in range(3):
        enqueue("outage:7:registered", f"rep:{n}", "max", str(900 + n), "Отключение воды", group="outage:7")
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(r.state, r.attempts) for r in rows] == [(PARKED, 0)] * 3
    assert deliver(rows[0].id) == "skipped"  # nothing claims a parked row
    assert sweep_outbox() == 0  # still not configured: nothing released, no attempt spent
    stats = delivery_stats("outage:7")
    assert stats["pending"] == 3 and stats["sent"] == 0
    assert parked_channels("outage:7") == {"max": 3}
    assert fake_max.all_messages() == []

    wired_app.config["MAX_TOKEN"] = token
    assert sweep_outbox() == 3
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [r.state for r in rows] == [SENT] * 3
    assert sorted(m.chat for m in fake_max.all_messages()) == ["900", "901", "902"]
    assert parked_channels("outage:7") == {}


def test_a_channel_unconfigured_after_enqueue_parks_the_row_without_an_attempt(wired_app: Flask,
                                                                               fake_max: FakeMax) -> None:
    wired_app.config["QUEUE_IMMEDIATE"] = True
    row = enqueue("notice:1", "rep:1", "max", "777", "Текст")
    _unconfigure(wired_app, "max")
    db.session.commit()
    db.session.refresh(row)
    assert row.state == PARKED and row.attempts == 0 and "не настроен" in (row.last_error or "")
