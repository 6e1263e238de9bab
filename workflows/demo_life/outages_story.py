"""Outages over the month: past ones restored (some late), current and planned ones, notices and acknowledgements."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from connectors.inbound import InboundEvent
from workflows.db import db
from workflows.delivery.acks import acknowledge_handler
from workflows.delivery.models import SENT, OutboxMessage
from workflows.demo_life.cast import Cast
from workflows.demo_life.timeline import Timeline
from workflows.outages.service import register_outage, restore_outage
from workflows.registry.models import BuildingSupplier

ACKNOWLEDGED_SHARE = 0.55


@dataclass(frozen=True)
class OutagePlan:
    kind: str
    resource: str
    description: str
    registered: timedelta  # from the start of the month
    starts: timedelta  # after registration
    hours: float  # announced length
    restored_after: float | None  # hours after the start; None: still on at the end
    buildings: int


PLANS = (
    OutagePlan("emergency", "cold_water", "Порыв водовода, аварийные работы", timedelta(days=2, hours=9),
               timedelta(minutes=20), 6, 5.5, 25),
    OutagePlan("planned", "electricity", "Плановая замена кабельной линии", timedelta(days=3, hours=3),
               timedelta(days=11), 4, 3.5, 18),
    OutagePlan("emergency", "heating", "Повреждение на теплотрассе, ремонт участка", timedelta(days=12, hours=5),
               timedelta(minutes=30), 8, 11, 30),
    OutagePlan("maintenance", "hot_water", "Ежегодная профилактика тепловых сетей", timedelta(days=6, hours=2),
               timedelta(days=12), 72, 70, 20),
    OutagePlan("emergency", "hot_water", "Авария на сетях ГВС, ведутся работы", timedelta(days=29, hours=13),
               timedelta(minutes=15), 10, None, 22),
    OutagePlan("planned", "cold_water", "Плановая промывка сетей водоснабжения", timedelta(days=24, hours=4),
               timedelta(days=7, hours=6), 6, None, 16),
)


@dataclass
class OutagesStory:
    rng: random.Random
    cast: Cast
    timeline: Timeline

    def _suppliers(self, resource: str) -> dict[int, list[int]]:
        rows = db.session.execute(select(BuildingSupplier.organization_id, BuildingSupplier.building_id)
                                  .where(BuildingSupplier.resource == resource).order_by(BuildingSupplier.id))
        found: dict[int, list[int]] = {}
        for organization_id, building_id in rows:
            found.setdefault(organization_id, []).append(building_id)
        return found

    def plan(self, start: datetime, plan: OutagePlan) -> None:
        self.timeline.plan(start + plan.registered, lambda: self._register(plan))

    def _register(self, plan: OutagePlan) -> None:
        organization_id, building_ids = self.rng.choice(sorted(self._suppliers(plan.resource).items()))
        now = self.timeline.harness.clock.now()
        starts = now + plan.starts
        payload = {"kind": plan.kind, "resource": plan.resource, "organization_id": organization_id,
                   "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=plan.hours)).isoformat(),
                   "description": plan.description, "external_id": f"demo-outage-{plan.registered.total_seconds():.0f}",
                   "building_ids": self.rng.sample(building_ids, min(plan.buildings, len(building_ids)))}
        outage = register_outage(payload, self.cast.staff.get(organization_id))
        outage_id = outage.id
        self.timeline.plan(now + timedelta(hours=self.rng.uniform(0.5, 6)), lambda: self._acknowledge(outage_id))
        if plan.restored_after is not None:
            restored = starts + timedelta(hours=plan.restored_after)
            self.timeline.plan(restored, lambda: self._restore(outage_id, organization_id, restored))

    def _restore(self, outage_id: int, organization_id: int, at: datetime) -> None:
        restore_outage(outage_id, {"restored_at": at.isoformat()}, self.cast.staff.get(organization_id))
        self.timeline.plan(at + timedelta(hours=self.rng.uniform(0.5, 4)), lambda: self._acknowledge(outage_id))

    def _acknowledge(self, outage_id: int) -> None:
        """Representatives press «Передал жителям» under a share of the notices they got."""
        rows = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.group_key == f"outage:{outage_id}", OutboxMessage.state == SENT,
            OutboxMessage.acknowledged_at.is_(None))).all()
        for row in rows:
            if self.rng.random() < ACKNOWLEDGED_SHARE:
                event = InboundEvent(channel=row.channel, update_id=f"demo-ack-{row.id}", kind="callback",
                                     chat_id=row.address, user_id=row.address, text=None, payload=f"ack:{row.id}",
                                     phone=None, raw={})
                acknowledge_handler(event, str(row.id))
        db.session.commit()
