"""Firing timers: on schedule through the queue, and by a sweep that catches any missed."""
from __future__ import annotations

import logging

from sqlalchemy import func, select

from workflows import clock
from workflows.db import db
from workflows.errors import Conflict, NotFound
from workflows.runtime.instances import commit, lock_instance, record_event, run_step
from workflows.runtime.models import TimerWait
from workflows.runtime.starts import schedule_timer

log = logging.getLogger(__name__)


def fire_due_timers(instance_id: int) -> int:
    """Advance one instance if any of its timers is due; returns how many were due."""
    now = clock.now()
    try:
        instance = lock_instance(instance_id)
    except NotFound:
        return 0
    due = db.session.scalars(select(TimerWait).where(
        TimerWait.instance_id == instance_id, TimerWait.due_at <= now)).all()
    if not due or instance.status not in ("waiting", "running"):
        db.session.rollback()
        return 0
    for timer in due:
        record_event(instance.id, "timer_fired", task_name=timer.name, data={"due_at": timer.due_at.isoformat()})
    run_step(instance, lambda run: run.advance(now))
    following = db.session.scalar(select(func.min(TimerWait.due_at)).where(
        TimerWait.instance_id == instance_id, TimerWait.due_at > now))
    if following is not None:
        schedule_timer(instance_id, following)
    commit()
    return len(due)


def due_instance_ids(limit: int = 500) -> list[int]:
    now = clock.now()
    rows = db.session.scalars(select(TimerWait.instance_id).where(TimerWait.due_at <= now)
                              .order_by(TimerWait.due_at).limit(limit)).all()
    return list(dict.fromkeys(rows))


def sweep_timers(limit: int = 500) -> int:
    """Fire every due timer; the safety net for a lost queue entry or a restarted worker."""
    fired = 0
    for instance_id in due_instance_ids(limit):
        try:
            fired += fire_due_timers(instance_id)
        except Conflict:
            log.info("timer of instance %s fired elsewhere meanwhile", instance_id)
    return fired
