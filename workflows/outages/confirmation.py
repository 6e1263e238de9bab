"""Whether a building confirms the restoration the supplier claimed — the ledger's evidence of the end.

A representative's "Есть" confirms it (at the claimed time, or at the answer when the building had said
"Нет" before); a "Нет" disputes it and the interruption keeps counting until a later confirmation. The
caller (the feedback handler, an appeal's intake) owns the commit.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from workflows.db import db
from workflows.outages.checks import recheck
from workflows.outages.models import Outage, OutageBuilding

# A resident's report that the resource is missing disputes a restoration claimed this recently (later
# reports are a new interruption, not the old one going on).
REPORT_DISPUTES_WITHIN = timedelta(hours=24)


def _link(outage_id: int, building_id: int) -> tuple[Outage, OutageBuilding] | None:
    outage = db.session.get(Outage, outage_id)
    link = db.session.scalar(select(OutageBuilding).where(OutageBuilding.outage_id == outage_id,
                                                          OutageBuilding.building_id == building_id))
    if outage is None or link is None or outage.restored_at is None:
        return None
    return outage, link


def confirm_restoration(outage_id: int, building_id: int, at: datetime) -> None:
    """The building has the resource again; the claim stands unless it was disputed first."""
    found = _link(outage_id, building_id)
    if found is None:
        return
    outage, link = found
    claimed = outage.restored_at or at
    link.confirmed_restored_at = max(claimed, at) if link.restoration_disputed_at is not None else claimed
    recheck(outage)


def dispute_restoration(outage_id: int, building_id: int, at: datetime) -> None:
    """The building says the resource is still missing: the interruption goes on from the claimed end."""
    found = _link(outage_id, building_id)
    if found is None:
        return
    outage, link = found
    link.restoration_disputed_at, link.confirmed_restored_at = at, None
    recheck(outage)


def resident_reports_missing(building_id: int | None, resource: str | None, at: datetime) -> list[int]:
    """An emergency appeal says the resource is missing: unconfirmed restorations of it on the building
    claimed within the last day are disputed. Returns the outages concerned."""
    if building_id is None or resource is None:
        return []
    links = db.session.scalars(
        select(OutageBuilding).join(Outage, Outage.id == OutageBuilding.outage_id)
        .where(OutageBuilding.building_id == building_id, Outage.resource == resource,
               Outage.restored_at.is_not(None), Outage.restored_at <= at,
               Outage.restored_at >= at - REPORT_DISPUTES_WITHIN,
               OutageBuilding.confirmed_restored_at.is_(None), OutageBuilding.restoration_disputed_at.is_(None)))
    disputed = [link.outage_id for link in links]
    for outage_id in disputed:
        dispute_restoration(outage_id, building_id, at)
    return disputed
