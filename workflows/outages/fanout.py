"""The background part of a large notice: queue it to every recipient, a chunk per transaction.

Runs after the transaction that announced the change committed (see notices.send). Queueing is
idempotent per recipient, so a retried or repeated run queues only what is missing.
"""
from __future__ import annotations

from workflows.db import db
from workflows.outages.models import Outage
from workflows.outages.notices import enqueue_for, recipients

CHUNK = 250


def fan_out_notice(outage_id: int, notice: str, notice_key: str) -> int:
    """Queue `notice_key` to every current recipient of the outage; commits per chunk; returns how many."""
    outage = db.session.get(Outage, outage_id)
    if outage is None:
        return 0
    targets = recipients(outage_id)
    for start in range(0, len(targets), CHUNK):
        enqueue_for(outage, notice, notice_key, targets[start:start + CHUNK])
        db.session.commit()
    return len(targets)
