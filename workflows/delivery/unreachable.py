"""Addresses that cannot be reached: recorded for the organisation's screens, and hooks told.

Features register a hook (`register_unreachable_hook`) to react in the same transaction, e.g. the
outages feature marks its building representative as unreachable.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.db import db
from workflows.delivery.connections import unreachable_hooks
from workflows.delivery.models import UnreachableAddress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnreachableEvent:
    recipient_key: str
    channel: str
    address: str
    reason: str
    organization_id: int | None


def mark_unreachable(claimed: Any, reason: str) -> UnreachableAddress:
    """Record (or refresh) the dead address and run the hooks; the caller commits."""
    row = db.session.scalar(select(UnreachableAddress).where(
        UnreachableAddress.channel == claimed.channel, UnreachableAddress.address == claimed.address))
    if row is None:
        row = UnreachableAddress(channel=claimed.channel, address=claimed.address)
        db.session.add(row)
    row.recipient_key = claimed.recipient_key
    row.organization_id = claimed.organization_id
    row.reason = reason[:1000]
    row.marked_at = clock.now()
    event = UnreachableEvent(claimed.recipient_key, claimed.channel, claimed.address, reason,
                             claimed.organization_id)
    for name, hook in unreachable_hooks().items():
        log.info("unreachable hook %s for %s", name, claimed.recipient_key)
        hook(event)
    return row


def unreachable_addresses(organization_id: int | None = None) -> list[UnreachableAddress]:
    """Dead addresses, newest first; those of one organisation when `organization_id` is given."""
    query = select(UnreachableAddress).order_by(UnreachableAddress.marked_at.desc())
    if organization_id is not None:
        query = query.where(UnreachableAddress.organization_id == organization_id)
    return list(db.session.scalars(query))
