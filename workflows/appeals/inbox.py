"""The inbox: open user tasks the user may see, with the few appeal fields a row shows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.runtime.models import HumanTask
from workflows.runtime.tasks import can_act, visible_tasks_query

INBOX_LIMIT = 200
EXCERPT = 140  # characters of the appeal's text a row shows


@dataclass(frozen=True)
class AppealBrief:
    id: int
    number: str
    address: str | None
    category: str
    emergency: bool
    status: str
    excerpt: str


@dataclass(frozen=True)
class InboxRow:
    task: HumanTask
    appeal: AppealBrief | None
    holder: str | None = None  # the colleague who took the task: «взял Иванов, 10:42»
    can_act: bool = False  # whether the reader may take and complete it (officials mostly read)


def _filtered(user: User, filters: dict[str, Any]) -> Any:
    query = visible_tasks_query(user)
    if filters.get("name"):
        query = query.where(HumanTask.name == filters["name"])
    if filters.get("overdue"):
        query = query.where(HumanTask.due_at < clock.now())
    if filters.get("mine"):
        query = query.where(HumanTask.assignee_id == user.id)
    if filters.get("category"):
        query = query.where(HumanTask.appeal_id.in_(select(Appeal.id).where(Appeal.category == filters["category"])))
    return query


def _briefs(appeal_ids: set[int]) -> dict[int, AppealBrief]:
    if not appeal_ids:
        return {}
    rows = db.session.execute(select(Appeal.id, Appeal.number, Appeal.address_text, Appeal.category,
                                     Appeal.emergency, Appeal.status, func.substr(Appeal.text, 1, EXCERPT))
                              .where(Appeal.id.in_(appeal_ids)))
    return {row[0]: AppealBrief(*row) for row in rows}


def inbox_rows(user: User, filters: dict[str, Any], limit: int = INBOX_LIMIT) -> list[InboxRow]:
    """Emergencies first, then the earliest due; reads the task table and the listed appeals by id only."""
    found = list(db.session.scalars(_filtered(user, filters).limit(limit)))
    briefs = _briefs({t.appeal_id for t in found if t.appeal_id is not None})
    holders = _holders({t.assignee_id for t in found if t.assignee_id is not None})
    return [InboxRow(t, briefs.get(t.appeal_id) if t.appeal_id is not None else None,
                     holders.get(t.assignee_id) if t.assignee_id is not None else None, can_act(user, t))
            for t in found]


def _holders(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name, User.login).where(User.id.in_(user_ids)))
    return {row[0]: row[1] or row[2] for row in rows}
