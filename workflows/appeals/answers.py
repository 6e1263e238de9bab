"""Answers that come back to an appeal: the resident's confirmation, an incident's resolution."""
from __future__ import annotations

from workflows.appeals.history import add_event
from workflows.appeals.input import ANSWERS
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import Conflict, NotFound, ValidationFailed
from workflows.runtime.messages import correlate_message


def confirm_resolution(appeal_id: int, answer: str, actor_id: int | None = None) -> Appeal:
    """The resident says whether the problem is fixed; "not_fixed" reopens the appeal."""
    if answer not in ANSWERS:
        raise ValidationFailed("ответ: fixed или not_fixed", {"answer": "fixed или not_fixed"})
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"нет обращения {appeal_id}")
    add_event(appeal.id, "resident_answer", None, {"answer": answer}, actor_id)
    caught = correlate_message("resident_confirmation", {"appeal_id": appeal.id},
                               {"appeal_id": appeal.id, "answer": answer}, actor_id=actor_id)
    if not caught:
        db.session.rollback()
        raise Conflict("обращение не ждёт подтверждения заявителя")
    db.session.refresh(appeal)
    return appeal
