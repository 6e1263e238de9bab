"""VK flood control (error 9) pauses that one peer; the rest of the channel keeps sending."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes import faults
from tests.fakes.vk_api import FakeVk
from workflows.db import db
from workflows.delivery import PENDING, SENT, OutboxMessage, enqueue
from workflows.delivery.models import RateSlot


@pytest.fixture
def app(tmp_path: Path, fake_vk: FakeVk) -> Iterator[Flask]:
    made = make_app(tmp_path, **fake_settings(fake_vk, "vk"))
    with made.app_context():
        yield made
        db.session.remove()


def _state(notice: str) -> str:
    db.session.rollback()
    return str(db.session.scalar(select(OutboxMessage.state).where(OutboxMessage.notice_key == notice)))


def test_flood_control_pauses_one_peer_not_the_channel(app: Flask, fake_vk: FakeVk) -> None:
    fake_vk.fail(faults.ERROR, chat=501, times=1, code=9)
    enqueue("a", "rep:1", "vk", "501", "Отключение", urgent=True)
    db.session.commit()
    enqueue("b", "rep:2", "vk", "502", "Отключение", urgent=True)
    db.session.commit()

    assert (_state("a"), _state("b")) == (PENDING, SENT)
    slots = {key: tat for key, tat in db.session.execute(select(RateSlot.key, RateSlot.tat))}
    assert slots["vk:chat:501"] - slots["channel:vk"] > 50  # 501 waits its minute; the channel does not
    assert [m.chat for m in fake_vk.all_messages()] == ["502"]
