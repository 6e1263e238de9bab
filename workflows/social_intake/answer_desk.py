"""The coordinator's side of public answers: the answers board and recording an interim or final answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflows import citytime, clock
from workflows.accounts.models import User
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import Conflict, ValidationFailed
from workflows.social_intake.answers import ANSWER_KINDS, record_answer
from workflows.social_intake.models import SocialPost
from workflows.social_intake.moderation import get_post
from workflows.social_intake.replies import can_publish, publish_vk

MAX_ANSWER = 2000
BOARD_LIMIT = 200


@dataclass(frozen=True)
class BoardRow:
    """A post taken into work whose final answer is still to come, with the state of its answer clock."""

    post: SocialPost
    appeal: Appeal | None
    state: str  # overdue | soon | waiting | interim
    final_overdue: bool

    @property
    def final_due_at(self) -> datetime | None:
        """The final answer is due with the appeal's result: its resolve deadline."""
        return final_due(self.appeal)

    @property
    def address(self) -> str | None:
        if self.post.address:
            return self.post.address
        return self.appeal.building.address if self.appeal is not None and self.appeal.building else None


def final_due(appeal: Appeal | None) -> datetime | None:
    if appeal is None:
        return None
    return appeal.resolve_due_at or appeal.due_at


def _state(post: SocialPost, now: datetime) -> str:
    if post.first_answer_at is not None:
        return "interim"
    if post.answer_due_at is not None and now >= post.answer_due_at:
        return "overdue"
    if post.answer_remind_at is not None and now >= post.answer_remind_at:
        return "soon"
    return "waiting"


_ORDER = {"overdue": 0, "soon": 1, "waiting": 2, "interim": 3}


def answers_board() -> list[BoardRow]:
    """Posts taken into work without a final answer: overdue first, then by deadline."""
    now = clock.now()
    posts = db.session.scalars(select(SocialPost).where(
        SocialPost.taken_at.is_not(None), SocialPost.final_answer_at.is_(None), SocialPost.deleted_at.is_(None),
    ).order_by(SocialPost.answer_due_at).limit(BOARD_LIMIT))
    rows = []
    for post in posts:
        appeal = db.session.get(Appeal, post.appeal_id) if post.appeal_id else None
        due = final_due(appeal)
        final_overdue = due is not None and now >= due
        rows.append(BoardRow(post, appeal, _state(post, now), final_overdue))
    rows.sort(key=lambda r: (_ORDER[r.state], r.post.answer_due_at or now))
    return rows


def overdue_count() -> int:
    return sum(row.state == "overdue" for row in answers_board())


def interim_text(post: SocialPost) -> str | None:
    """A suggested interim answer: the appeal number, who works on it, and its deadline (no personal data)."""
    appeal = db.session.get(Appeal, post.appeal_id) if post.appeal_id else None
    if appeal is None:
        return None
    text = f"Обращение принято в работу, номер {appeal.number}."
    if appeal.organization is not None:
        text += f" Исполнитель — {appeal.organization.name}."
    due = final_due(appeal)
    if due is not None:
        text += f" Срок — до {citytime.moment_text(due)}."
    return text + " Ответим здесь, когда работы будут выполнены."


def answer_post(post_id: int, user: User, kind: str, text: str) -> bool:
    """Record an interim or final public answer; publish it through VK when enabled.  True when published
    by the system (else the coordinator published it by hand).  Commits."""
    post = get_post(post_id)
    text = (text or "").strip()
    if kind not in ANSWER_KINDS:
        raise ValidationFailed("выберите вид ответа", {"kind": "промежуточный или окончательный"})
    if not text or len(text) > MAX_ANSWER:
        raise ValidationFailed("ответ не принят", {"text": f"введите текст ответа (до {MAX_ANSWER} знаков)"})
    if post.taken_at is None:
        raise Conflict("пост не взят в работу: сначала создайте по нему обращение")
    if kind == "interim" and post.first_answer_at is not None:
        raise Conflict("первый ответ уже дан")
    if post.final_answer_at is not None:
        raise Conflict("окончательный ответ уже дан")
    published = can_publish(post)
    if published:
        publish_vk(post, text, f"otklik-{post.id}-{kind}")
    record_answer(post, kind, text, user.id)
    db.session.commit()
    return published
