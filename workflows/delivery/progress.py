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


def delivery_stats(group: str) -> DeliveryStats:
    """`{total, sent, failed, pending, acknowledged}` for a group ("outage:<id>"); sending counts as pending."""
    rows = db.session.execute(
        select(OutboxMessage.state, func.count(), func.count(OutboxMessage.acknowledged_at))
        .where(OutboxMessage.group_key == group).group_by(OutboxMessage.state))
    stats = DeliveryStats(total=0, sent=0, failed=0, pending=0, acknowledged=0)
    for state, count, acknowledged in rows:
        stats["total"] += count
        stats["acknowledged"] += acknowledged
        if state == SENT:
            stats["sent"] += count
        elif state == FAILED:
            stats["failed"] += count
        else:
            stats["pending"] += count  # parked rows too: they wait for their channel to be configured
    return stats


def parked_channels(group: str) -> dict[str, int]:
    """Channel → how many of the group's messages wait because that channel is not configured."""
    rows = db.session.execute(select(OutboxMessage.channel, func.count()).where(
        OutboxMessage.group_key == group, OutboxMessage.state == PARKED).group_by(OutboxMessage.channel))
    return {channel: count for channel, count in sorted(rows)}


def acknowledge(outbox_id: int) -> bool:
    """Record that the recipient confirmed the notice (first time only); the caller commits."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.acknowledged_at.is_(None))
        .values(acknowledged_at=clock.now()).execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0) == 1)
