"""Notices: an update per change of the expected end, and no personal data in any of them."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask

from tests.appeals.city import City
from tests.fakes.telegram_api import FakeTelegram
from tests.outages.helpers import register, representative
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery import delivery_stats
from workflows.outages import service


def test_an_expected_end_change_sends_one_update_each(app: Flask, city: City, clock: FakeClock,
                                                      telegram: FakeTelegram) -> None:
    houses = [city.sovetskaya_45, city.sovetskaya_47]
    chats = [representative(b, 4000 + i).address for i, b in enumerate(houses)]
    outage = register(city.water, houses, clock.now(), 3)
    service.update_outage(outage.id, {"ends_at": (outage.ends_at + timedelta(hours=2)).isoformat()}, None)

    for chat in chats:
        texts = [m.text for m in telegram.messages_to(chat)]
        assert len(texts) == 2 and texts[1].startswith("Изменён срок")
        assert "17:00" in texts[1]  # 12:00 Moscow + 3 h + 2 h
    assert delivery_stats(f"outage:{outage.id}")["total"] == 4


def test_no_notice_carries_a_residents_personal_data(app: Flask, city: City, clock: FakeClock,
                                                     telegram: FakeTelegram) -> None:
    rep = representative(city.sovetskaya_45, 5001)
    rep.name = "Иванова Мария Петровна"
    db.session.commit()
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 2)
    service.update_outage(outage.id, {"ends_at": (outage.ends_at + timedelta(hours=1)).isoformat()}, None)
    service.restore_outage(outage.id, {}, None)
    texts = [m.text for m in telegram.messages_to(5001)]
    assert len(texts) == 3
    assert not any("Иванова" in t or "5001" in t for t in texts)
