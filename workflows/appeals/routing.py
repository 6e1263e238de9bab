"""From the responsible kind that routing.dmn names to the organisation for this building."""
from __future__ import annotations

from sqlalchemy import select

from workflows.appeals.catalog import resource_of
from workflows.db import db
from workflows.registry.models import Building, Organization

RESPONSIBLE_KINDS = ("uk", "rso", "gas_emergency", "cgds")


def responsible_organization(building: Building | None, category: str, kind: str) -> Organization | None:
    """The organisation that must act, or None when ЦГДС must choose."""
    if building is None or kind == "cgds":
        return None
    if kind == "uk":
        return building.management_org
    if kind == "gas_emergency":
        return building.supplier_for("gas") or _any_of_kind("gas_emergency")
    if kind == "rso":
        resource = resource_of(category) or ("waste" if category == "waste" else None)
        return building.supplier_for(resource) if resource else None
    return None


def _any_of_kind(kind: str) -> Organization | None:
    return db.session.scalar(select(Organization).where(Organization.kind == kind).order_by(Organization.id))
