"""Outages: registration and checks against the permitted interruptions, notices to building
representatives through the delivery outbox, the public view, coverage, and the interruption ledger.

What the app wires (workflows.wiring): the messenger handlers of `bot` and `stops`, `mark_unreachable` as
the unreachable hook; `workflows.operations` lists `outage_operations()` for bpmn/outage.bpmn.
"""
from __future__ import annotations

from workflows import clock
from workflows.db import db
from workflows.delivery import UnreachableEvent
from workflows.ids import digits
from workflows.outages import models  # noqa: F401  (tables for create_all)
from workflows.outages.models import Representative


def mark_unreachable(event: UnreachableEvent) -> None:
    """A representative's address answered "blocked / not found": no more notices until they re-join."""
    rep_id = event.recipient_key.removeprefix("rep:")
    rep = db.session.get(Representative, int(rep_id)) if digits(rep_id) else None
    if rep is not None and rep.unreachable_at is None:
        rep.unreachable_at = clock.now()
