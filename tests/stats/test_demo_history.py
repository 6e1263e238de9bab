"""`otklik demo load` writes days of the city's life by running the real processes with a fake clock."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.demo import load_demo
from workflows.demo_life.history import write_history
from workflows.outages.models import Outage
from workflows.registry.models import Building
from workflows.runtime.models import ProcessInstance
from workflows.services import services_of
from workflows.social_intake.models import SocialPost

END = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _count(query: object) -> int:
    return int(db.session.scalar(query) or 0)  # type: ignore[call-overload]


def test_a_week_of_history_through_the_real_processes(app: Flask) -> None:
    load_demo(buildings=80)
    mark = write_history(app, days=6, end=END)
    assert (mark.starts_at, mark.ends_at) == (datetime(2026, 11, 14, 4, 0, tzinfo=UTC), END)
    channels = set(db.session.scalars(select(Appeal.channel).distinct()))
    assert channels == {"phone", "ads", "telegram", "max", "vk", "web", "open311", "api"}
    assert _count(select(func.count(Appeal.id)).where(~Appeal.external_id.like("demo-%"),
                                                      Appeal.channel != "vk")) == 0  # every one marked demo
    kinds = dict(db.session.execute(select(AppealEvent.kind, func.count()).group_by(AppealEvent.kind)).all())
    assert kinds["accepted"] and kinds["resolved"] and kinds["escalated"] and kinds["closed"]
    assert kinds.get("reopened", 0) + kinds.get("joined_incident", 0) > 0
    statuses = set(db.session.scalars(select(Appeal.status).distinct()))
    assert "closed" in statuses and statuses & {"accepted", "assigned"}  # some finished, some still in work
    assert _count(select(func.count(ProcessInstance.id)).where(ProcessInstance.status == "error")) == 0
    outages = db.session.scalars(select(Outage)).all()
    assert any(o.restored_at is not None for o in outages) and any(o.restored_at is None for o in outages)
    assert _count(select(func.count(OutboxMessage.id)).where(OutboxMessage.acknowledged_at.is_not(None))) > 0
    assert _count(select(func.count(SocialPost.id)).where(SocialPost.status == "queued")) > 0
    assert _count(select(func.count(Building.id)).where(Building.lat.is_(None))) == 0
    assert write_history(app, days=6, end=END).id == mark.id  # once per database


def test_the_harness_gives_the_app_its_clock_and_queue_back(app: Flask) -> None:
    clock, tasks = services_of(app).clock, services_of(app).tasks
    load_demo(buildings=40)
    write_history(app, days=1, end=END, per_day=(2, 3))
    assert services_of(app).clock is clock and services_of(app).tasks is tasks
