"""Coverage of the rollout: buildings with an active representative, representatives who acknowledge fast."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from workflows import clock
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.outages.models import Representative
from workflows.registry.models import Building, RolloutWave

FAST_ACK = timedelta(hours=1)
ACK_WINDOW = timedelta(days=90)


@dataclass
class DistrictCoverage:
    district: str
    buildings: int
    notifications_on: int
    with_representative: int
    representatives: int


def district_coverage() -> list[DistrictCoverage]:
    active_reps = (select(Representative.building_id, func.count().label("n")).where(Representative.active.is_(True))
                   .group_by(Representative.building_id).subquery())
    rows = db.session.execute(
        select(Building.district, func.count(Building.id),
               func.sum(case((RolloutWave.enabled.is_(True), 1), else_=0)),
               func.count(active_reps.c.building_id), func.coalesce(func.sum(active_reps.c.n), 0))
        .outerjoin(RolloutWave, RolloutWave.id == Building.wave_id)
        .outerjoin(active_reps, active_reps.c.building_id == Building.id)
        .group_by(Building.district).order_by(Building.district))
    return [DistrictCoverage(d or "—", int(b), int(on or 0), int(w), int(r)) for d, b, on, w, r in rows]


def acknowledgement_rate() -> dict[str, int]:
    """Representatives who got outage notices lately, and those who acknowledged one within an hour."""
    since = clock.now() - ACK_WINDOW
    rows = db.session.execute(
        select(OutboxMessage.recipient_key, OutboxMessage.sent_at, OutboxMessage.acknowledged_at)
        .where(OutboxMessage.group_key.like("outage:%"), OutboxMessage.recipient_key.like("rep:%"),
               OutboxMessage.sent_at.is_not(None), OutboxMessage.created_at >= since))
    notified: set[str] = set()
    fast: set[str] = set()
    for recipient, sent_at, acknowledged_at in rows:
        notified.add(recipient)
        if acknowledged_at is not None and sent_at is not None and acknowledged_at - sent_at <= FAST_ACK:
            fast.add(recipient)
    return {"notified": len(notified), "acknowledged_within_hour": len(fast)}
