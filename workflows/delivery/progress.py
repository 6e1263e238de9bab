"""How a notice is going out: counts per group, and acknowledgements by the recipients."""
from __future__ import annotations

from typing import TypedDict

from sqlalchemy import func, select, update

from workflows import clock
from workflows.db import db
from workflows.delivery.models import FAILED, PARKED, SENT, OutboxMessage


class DeliveryStats(TypedDict):
    total: int
    sent: int
    failed: int
    pending: int
    acknowledged: int
    parked: int  # counted in pending too: waiting for their channel to be configured


def delivery_stats(group: str) -> DeliveryStats:
    """`{total, sent, failed, pending, acknowledged}` for a group ("outage:<id>"); sending counts as pending."""
    rows = db.session.execute(
        select(OutboxMessage.state, func.count(), func.count(OutboxMessage.acknowledged_at))
        .where(OutboxMessage.group_key == group).group_by(OutboxMessage.state))
    stats = DeliveryStats(total=0, sent=0, failed=0, pending=0, acknowledged=0, parked=0)
    for state, count, acknowledged in rows:
        stats["total"] += count
        stats["acknowledged"] += acknowledged
        if state == SENT:
            stats["sent"] += count
        elif state == FAILED:
            stats["failed"] += count
        else:
            stats["pending"] += count
        if state == PARKED:
            stats["parked"] += count
    return stats


def parked_channels(group: str) -> list[str]:
    """Channels of the group's messages that wait because the channel is not configured."""
    return sorted(db.session.scalars(select(OutboxMessage.channel).where(
        OutboxMessage.group_key == group, OutboxMessage.state == PARKED).distinct()))


def acknowledge(outbox_id: int) -> bool:
    """Record that the recipient confirmed the notice (first time only); the caller commits."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.acknowledged_at.is_(None))
        .values(acknowledged_at=clock.now()).execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0) == 1)
