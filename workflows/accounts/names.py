"""People's names for screens that keep only user ids (change logs, event journals)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from workflows.accounts.models import User
from workflows.db import db


def display_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """User id -> full name, or login when the name is empty; unknown ids are left out."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {u.id: u.full_name or u.login for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
