"""A large notice's remainder is recorded with the notice, so a lost queue entry delays it, never drops it."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.outages.helpers import enrolled, register, street, wave
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.outages.fanout import sweep_pending_fan_outs
from workflows.outages.models import PendingFanOut
from workflows.services import services_of


def _rows(outage_id: int) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.recipient_key)
                                   .where(OutboxMessage.group_key == f"outage:{outage_id}")))


def test_a_lost_fan_out_task_is_run_again_by_the_sweep(app: Flask, city: City, clock: FakeClock,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    buildings = street("Сенько", 230, city.uk1, {"cold_water": city.water}, wave("Волна Сенько", True))
    for i, building in enumerate(buildings):
        enrolled(building, 500000 + i)
    db.session.commit()
    scheduler = services_of(app).scheduler
    real_enqueue = scheduler.enqueue

    def lose_fan_outs(name: str, *args: Any) -> None:
        if name != "outage_fan_out":
            real_enqueue(name, *args)

    monkeypatch.setattr(scheduler, "enqueue", lose_fan_outs)
    outage = register(city.water, buildings, clock.now() + timedelta(minutes=5), 3)
    assert len(_rows(outage.id)) == 200  # the inline part only: the remainder's queue entry was lost
    assert sweep_pending_fan_outs() == 0  # not stale yet: its task may still be running
    clock.advance(timedelta(minutes=3))
    assert sweep_pending_fan_outs() == 1
    rows = _rows(outage.id)
    assert len(rows) == 230 and len(set(rows)) == 230
    assert db.session.scalar(select(func.count()).select_from(PendingFanOut)
                             .where(PendingFanOut.done_at.is_(None))) == 0
    assert sweep_pending_fan_outs() == 0
