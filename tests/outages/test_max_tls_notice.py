"""An outage notice reaches a MAX representative through a fake that behaves like the new host over TLS."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.fakes.max_api import FakeMax
from tests.fakes.tls import make_pki
from tests.outages.helpers import GrantAll, register, representative
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import SENT, OutboxMessage
from workflows.services import services_of


@pytest.fixture
def tls_max(tmp_path: Path) -> Iterator[tuple[FakeMax, Path]]:
    pki = make_pki(tmp_path / "pki")
    fake = FakeMax()
    fake.tls = pki.server_context()
    with fake:
        yield fake, pki.bundle_pem


@pytest.fixture
def max_app(tmp_path: Path, tls_max: tuple[FakeMax, Path]) -> Iterator[Flask]:
    fake, bundle = tls_max
    app = make_app(tmp_path, MAX_API_URL=fake.url, MAX_TOKEN=fake.token, MAX_TIMEOUT=5, MAX_CA_FILE=str(bundle))
    services_of(app).limiter = GrantAll()
    with app.app_context():
        yield app
        db.session.remove()


def test_an_outage_notice_reaches_a_max_building_chat_over_tls(
        max_app: Flask, tls_max: tuple[FakeMax, Path]) -> None:
    fake, _ = tls_max
    city: City = build_city()
    clock: FakeClock = services_of(max_app).clock
    rep = representative(city.sovetskaya_45, 0, channel="max")
    rep.address = "chat:-70045"
    db.session.commit()

    register(city.water, [city.sovetskaya_45], clock.now(), 2)

    [notice] = fake.messages_to(-70045)
    assert fake.url.startswith("https://") and notice.raw["target"] == "chat_id"
    assert notice.text.startswith("Аварийное отключение холодной воды. Адрес: ул. Советская, д. 45.")
    assert [b.text for b in notice.buttons] == ["Передал жителям"]
    row = db.session.query(OutboxMessage).filter_by(recipient_key=f"rep:{rep.id}").one()
    assert row.state == SENT and row.attempts == 1
