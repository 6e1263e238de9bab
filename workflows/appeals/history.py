"""Writing to an appeal's history."""
from __future__ import annotations

from typing import Any

from workflows import clock
from workflows.appeals.models import AppealEvent
from workflows.db import db


def add_event(appeal_id: int, kind: str, text: str | None = None, data: dict[str, Any] | None = None,
              actor_id: int | None = None) -> AppealEvent:
    event = AppealEvent(appeal_id=appeal_id, kind=kind, text=text, data=data, actor_id=actor_id, at=clock.now())
    db.session.add(event)
    return event
