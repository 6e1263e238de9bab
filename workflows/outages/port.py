"""What appeals may ask of outages: appeals sit below outages, so they reach them only through this port,
which workflows.wiring puts into the services container (`services().outages`)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from workflows.db import db
from workflows.outages import active, confirmation
from workflows.outages.models import Outage, OutageBuilding


class OutagePort:
    """workflows.services.OutageFacts, answered by the outages package."""

    def active_outage_for(self, building_id: int | None, resource: str | None) -> Outage | None:
        return active.active_outage_for(building_id, resource)

    def building_live_outages(self, building_id: int | None) -> list[Any]:
        return list(active.building_live_outages(building_id))

    def resident_reports_missing(self, building_id: int | None, resource: str | None, at: datetime) -> None:
        confirmation.resident_reports_missing(building_id, resource, at)

    def outage_scope(self, outage_id: int) -> tuple[Outage | None, set[int]]:
        outage = db.session.get(Outage, outage_id)
        buildings = set(db.session.scalars(select(OutageBuilding.building_id).where(
            OutageBuilding.outage_id == outage_id)))
        return outage, buildings
