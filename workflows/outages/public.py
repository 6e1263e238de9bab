"""What the public sees: current and planned outages, per building and for the city — no personal data."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from workflows import citytime, clock
from workflows.db import db
from workflows.outages.models import Outage, OutageBuilding
from workflows.outages.texts import KIND_NAMES, RESOURCE_NAMES, local, summarize_addresses
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building, Organization
from workflows.resources import PUBLIC_ORDER

FEED_HISTORY = timedelta(days=90)
NO_DISTRICT = "Район не указан"
RESOURCE_ORDER = PUBLIC_ORDER


def public_dict(outage: Outage) -> dict[str, Any]:
    """Building-level facts only: what, where, when, who does the work."""
    return {
        "id": outage.id, "kind": outage.kind, "kind_name": KIND_NAMES[outage.kind], "resource": outage.resource,
        "resource_name": RESOURCE_NAMES[outage.resource], "status": "restored" if outage.restored_at else
        ("current" if outage.starts_at <= clock.now() else "planned"),
        "starts_at": outage.starts_at.isoformat(), "ends_at": outage.ends_at.isoformat(),
        "restored_at": outage.restored_at.isoformat() if outage.restored_at else None,
        "starts_local": local(outage.starts_at), "ends_local": local(outage.ends_at),
        "description": outage.description, "districts": list(outage.districts or []), "addresses": outage.summary,
        "building_count": outage.building_count,
        "organization": {"name": outage.organization.name, "phone": outage.contact_phone or outage.organization.phone},
    }


@dataclass(frozen=True)
class CityRow:
    """One current or planned outage as the city list shows it, with its times already in local text."""

    id: int
    resource: str
    current: bool
    starts: str
    ends: str
    addresses: str
    organization: str


def city_fingerprint() -> tuple[int, str, str]:
    """Changes whenever the city list would: outages announced or restored, or the minute turning."""
    count, latest = db.session.execute(select(func.count(Outage.id), func.max(Outage.updated_at))
                                       .where(Outage.status.in_(("announced", "restored")))).one()
    return int(count or 0), str(latest), clock.now().strftime("%Y%m%d%H%M")


def _district_addresses(outage_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """outage id → district → the addresses of its buildings there, in street order."""
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if not outage_ids:
        return found
    rows = db.session.execute(select(OutageBuilding.outage_id, Building.district, Building.address)
                              .join(Building, Building.id == OutageBuilding.building_id)
                              .where(OutageBuilding.outage_id.in_(outage_ids))
                              .order_by(Building.street, Building.house, Building.id))
    for outage_id, district, address in rows:
        found[outage_id][district or NO_DISTRICT].append(address)
    return found


def city_outages() -> list[tuple[str, list[tuple[str, list[CityRow]]]]]:
    """[(district, [(resource name, rows)])]: the city's announced outages not yet restored; under each
    district an outage lists only its buildings in that district."""
    now = clock.now()
    query = (select(Outage.id, Outage.resource, Outage.starts_at, Outage.ends_at, Outage.districts, Outage.summary,
                    Organization.name).join(Organization, Organization.id == Outage.organization_id)
             .where(Outage.status == "announced", Outage.restored_at.is_(None)).order_by(Outage.starts_at, Outage.id))
    outages = list(db.session.execute(query))
    places = _district_addresses([row[0] for row in outages])
    table: dict[str, dict[str, list[CityRow]]] = defaultdict(lambda: defaultdict(list))
    for oid, resource, starts, ends, districts, summary, org in outages:
        by_district = places.get(oid) or {district: [] for district in districts or [NO_DISTRICT]}
        for district, addresses in by_district.items():
            row = CityRow(oid, resource, starts <= now, citytime.moment_text(starts), citytime.moment_text(ends),
                          summarize_addresses(addresses) if addresses else summary, org)
            table[district][resource].append(row)
    return [(district, [(RESOURCE_NAMES[r], table[district][r]) for r in RESOURCE_ORDER if r in table[district]])
            for district in sorted(table, key=lambda d: (d == NO_DISTRICT, d))]


def building_outages(building_id: int, since: datetime | None = None) -> list[Outage]:
    """Current and planned outages of a building (and, with `since`, restored ones after it)."""
    query = (select(Outage).join(OutageBuilding, OutageBuilding.outage_id == Outage.id)
             .where(OutageBuilding.building_id == building_id))
    if since is None:
        query = query.where(Outage.status == "announced", Outage.restored_at.is_(None))
    else:
        query = query.where(Outage.status.in_(("announced", "restored")), Outage.updated_at >= since)
    return list(db.session.scalars(query.order_by(Outage.starts_at.desc(), Outage.id)))


def feed_outages(building_id: int) -> list[Outage]:
    return building_outages(building_id, since=clock.now() - FEED_HISTORY)


def find_building(address: str) -> tuple[Building | None, list[dict[str, Any]]]:
    """The building an address names, or candidates to choose from."""
    resolution = registry_index().resolve(address)
    if resolution.building_id is not None:
        return db.session.get(Building, resolution.building_id), []
    return None, [{"building_id": c.building_id, "address": c.address} for c in resolution.candidates[:8]]
