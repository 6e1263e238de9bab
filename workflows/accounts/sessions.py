"""Server-side record of screen logins: a copied cookie stops working once its session is ended."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import User, WebSession
from workflows.db import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """A new session for `user`; returns the token the cookie carries. Commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(WebSession(user_id=user.id, token_hash=_hash(token), created_at=clock.now()))
    db.session.commit()
    return token


def session_alive(token: str | None, user_id: int) -> bool:
    if not token or len(token) > 100:
        return False
    found = db.session.scalar(select(WebSession.id).where(
        WebSession.token_hash == _hash(token), WebSession.user_id == user_id, WebSession.ended_at.is_(None)))
    return found is not None


def end_session(token: str | None) -> None:
    """Logout: the session's cookie is refused from now on, wherever it was copied to. Commits."""
    if not token:
        return
    row = db.session.scalar(select(WebSession).where(WebSession.token_hash == _hash(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = clock.now()
        db.session.commit()
