"""The background part of a large notice: queue it to every recipient, a chunk per transaction.

Runs after the transaction that announced the change committed (see notices.send). Queueing is
idempotent per recipient, so a retried or repeated run queues only what is missing.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from workflows import clock
from workflows.db import db
from workflows.outages.models import Outage, PendingFanOut
from workflows.outages.notices import enqueue_for, recipients

CHUNK = 250
# A remainder not finished this long after its notice is run again by the sweep (its task was lost).
STALE_AFTER = timedelta(minutes=2)


def fan_out_notice(outage_id: int, notice: str, notice_key: str) -> int:
    """Queue `notice_key` to every current recipient of the outage; commits per chunk; returns how many."""
    outage = db.session.get(Outage, outage_id)
    if outage is None:
        return 0
    targets = recipients(outage_id)
    for start in range(0, len(targets), CHUNK):
        enqueue_for(outage, notice, notice_key, targets[start:start + CHUNK])
        db.session.commit()
    pending = db.session.scalar(select(PendingFanOut).where(PendingFanOut.notice_key == notice_key))
    if pending is not None and pending.done_at is None:
        pending.done_at = clock.now()
        db.session.commit()
    return len(targets)


def sweep_pending_fan_outs() -> int:
    """Run again every remainder whose queue entry was lost; returns how many were run."""
    stale = clock.now() - STALE_AFTER
    rows = db.session.execute(select(PendingFanOut.outage_id, PendingFanOut.notice, PendingFanOut.notice_key)
                              .where(PendingFanOut.done_at.is_(None), PendingFanOut.created_at < stale)
                              .order_by(PendingFanOut.id).limit(50)).all()
    db.session.rollback()
    for outage_id, notice, notice_key in rows:
        fan_out_notice(outage_id, notice, notice_key)
    return len(rows)
