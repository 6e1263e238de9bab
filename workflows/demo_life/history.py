"""`otklik demo load` writes a month of the city's life by running the real processes with a fake clock."""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from itertools import count

from flask import Flask
from sqlalchemy import func, select

from workflows.appeals.models import Appeal
from workflows.clock import SystemClock
from workflows.db import db
from workflows.demo_life import appeals_story, outages_story, social_story
from workflows.demo_life.cast import assemble, digest_recipients
from workflows.demo_life.harness import harness
from workflows.demo_life.models import DemoHistory
from workflows.demo_life.timeline import Timeline
from workflows.digest.service import digest_tick
from workflows.outages.models import Outage
from workflows.registry.models import Building
from workflows.social_intake.models import SocialPost
from workflows.stats.period import city_zone

PER_DAY = (7, 12)


def demo_history() -> DemoHistory | None:
    return db.session.scalar(select(DemoHistory).order_by(DemoHistory.id.desc()).limit(1))




def _mondays(timeline: Timeline, start: datetime, end: datetime) -> None:
    """The hourly digest task, run as the worker would at each Monday morning of the month."""
    moment = start.astimezone(city_zone()).replace(hour=9, minute=7, second=0, microsecond=0)
    while moment <= end:
        if moment.weekday() == 0 and moment >= start:
            timeline.plan(moment, digest_tick)
        moment += timedelta(days=1)


def write_history(app: Flask, days: int = 30, seed: int = 2026, per_day: tuple[int, int] = PER_DAY,
                  end: datetime | None = None) -> DemoHistory:
    """Once per database: a second call returns the mark of the first. The history ends now (or at `end`)."""
    existing = demo_history()
    if existing is not None:
        return existing
    started = time.monotonic()
    end = (end or SystemClock().now()).replace(second=0, microsecond=0)
    start = (end - timedelta(days=days)).replace(hour=4, minute=0)  # 07:00 in Tambov
    rng, cast = random.Random(seed), assemble()
    digest_recipients()
    building_ids = list(db.session.scalars(select(Building.id).order_by(Building.id)))
    with harness(app, start) as running:
        timeline = Timeline(running, end)
        story = appeals_story.AppealsStory(rng, cast, timeline, building_ids, count(1))
        appeals_story.month_of_appeals(story, start, days, per_day)
        appeals_story.incidents(story, start, end)
        outage_story = outages_story.OutagesStory(rng, cast, timeline)
        for plan in outages_story.PLANS:
            if plan.registered < timedelta(days=days):
                outage_story.plan(start, plan)
        social_story.posts(rng, timeline, end)
        _mondays(timeline, start, end)
        timeline.run()
    mark = DemoHistory(starts_at=start, ends_at=end, written_at=end,
                       appeals=db.session.scalar(select(func.count(Appeal.id))) or 0,
                       outages=db.session.scalar(select(func.count(Outage.id))) or 0,
                       posts=db.session.scalar(select(func.count(SocialPost.id))) or 0,
                       seconds=round(time.monotonic() - started, 1))
    db.session.add(mark)
    db.session.commit()
    return mark
