"""Public answers at ЦУР pace: a post taken into work gets its first public answer (an interim one will do)
within the time social_answer.dmn gives, in working hours; the clock is tracked, reminded at 75 % and
escalated when it runs out.  The final answer is due by the appeal's own deadline.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine.decide import decide
from workflows import clock
from workflows.appeals.deadlines import REMIND_AT, due_after, parse_duration
from workflows.appeals.history import add_event
from workflows.db import db
from workflows.runtime.definitions import latest_version
from workflows.social_intake.models import SocialPost
from workflows.social_intake.settings import setting
from workflows.working_hours import add_working_hours, parse_workday

DECISION = "social_answer"
SHIPPED = Path(__file__).resolve().parents[2] / "bpmn" / f"{DECISION}.dmn"
ANSWER_KINDS = ("interim", "final")


@lru_cache(maxsize=8)
def _decide_cached(filename: str, content: bytes, category: str, emergency: bool) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(decide(content, DECISION, {"category": category, "emergency": emergency}).items()))


def answer_terms(category: str | None, emergency: bool) -> dict[str, Any]:
    """{first_answer_within, hours} of the deployed social_answer table (the shipped file when none is)."""
    version = latest_version(DECISION)
    filename, content = (version.filename, version.content) if version is not None else (SHIPPED.name,
                                                                                         SHIPPED.read_bytes())
    return dict(_decide_cached(filename, bytes(content), category or "other", bool(emergency)))


def first_answer_due(taken_at: datetime, category: str | None, emergency: bool) -> datetime:
    """When the first public answer is due for a post taken into work at `taken_at`."""
    terms = answer_terms(category, emergency)
    within = str(terms.get("first_answer_within") or "PT8H")
    if terms.get("hours", "working") != "working":
        return due_after(taken_at, within, "calendar")
    days, rest = parse_duration(within)
    return add_working_hours(taken_at, timedelta(days=days) + rest, parse_workday(setting("SOCIAL_WORKDAY")))


def start_answer_clock(post: SocialPost, category: str | None, emergency: bool) -> None:
    """The post is taken into work now: its first answer deadline starts (once; no commit)."""
    if post.taken_at is not None:
        return
    now = clock.now()
    post.taken_at, post.answer_due_at = now, first_answer_due(now, category, emergency)
    post.answer_remind_at = now + (post.answer_due_at - now) * REMIND_AT


def record_answer(post: SocialPost, kind: str, text: str, actor_id: int | None) -> None:
    """An answer was published under the post (through the API or by hand); no commit."""
    now = clock.now()
    if post.first_answer_at is None:
        post.first_answer_at, post.first_answer_kind = now, kind
    if kind == "final":
        post.final_answer_at = post.final_answer_at or now
    if post.appeal_id is not None:
        event = "social_answer_final" if kind == "final" else "social_answer_interim"
        add_event(post.appeal_id, event, text, {"url": post.url, "on_time": _on_time(post, now)}, actor_id)


def _on_time(post: SocialPost, at: datetime) -> bool:
    return post.answer_due_at is None or at <= post.answer_due_at


def sweep_answers() -> dict[str, int]:
    """Remind at 75 % of the time and escalate at its end, once each (the worker runs this every minute)."""
    now = clock.now()
    waiting = select(SocialPost).where(SocialPost.answer_due_at.is_not(None), SocialPost.first_answer_at.is_(None),
                                       SocialPost.answer_escalated_at.is_(None), SocialPost.deleted_at.is_(None))
    reminded = escalated = 0
    for post in db.session.scalars(waiting.order_by(SocialPost.answer_due_at)):
        due = post.answer_due_at
        if due is None:
            continue
        if now >= due:
            post.answer_escalated_at = now
            escalated += 1
            if post.appeal_id is not None:
                add_event(post.appeal_id, "social_answer_overdue", None,
                          {"due_at": due.isoformat(), "roles": "coordinator official"})
        elif post.answer_remind_at is not None and now >= post.answer_remind_at and post.answer_reminded_at is None:
            post.answer_reminded_at = now
            reminded += 1
            if post.appeal_id is not None:
                add_event(post.appeal_id, "social_answer_reminder", None, {"due_at": due.isoformat()})
    db.session.commit()
    return {"reminded": reminded, "escalated": escalated}
