"""Registry services: look up organisations and buildings."""
from __future__ import annotations

import re

from sqlalchemy import select

from workflows.db import db
from workflows.errors import NotFound
from workflows.registry.models import ORGANIZATION_KINDS, Building, Organization

__all__ = ["ORGANIZATION_KINDS", "list_organizations", "search_buildings", "get_building", "fold"]
PAGE_SIZE = 20


def fold(text: str) -> str:
    """Lower case, ё → е, punctuation to spaces: the form addresses are searched in."""
    text = text.lower().replace("ё", "е")
    return re.sub(r"[^\w/]+", " ", text).strip()


def list_organizations(kind: str | None = None) -> list[Organization]:
    query = select(Organization).order_by(Organization.kind, Organization.name)
    if kind:
        query = query.where(Organization.kind == kind)
    return list(db.session.scalars(query))


def search_buildings(q: str, page: int = 1) -> list[Building]:
    query = select(Building)
    for token in fold(q).split():
        query = query.where(Building.search_text.like(f"%{token}%"))
    query = query.order_by(Building.street, Building.house, Building.id)
    return list(db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))


def get_building(building_id: int) -> Building:
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    return building
