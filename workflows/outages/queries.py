"""Reading outages for staff: lists with filters, one outage with its buildings, violations and deliveries."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from workflows import clock
from workflows.accounts.models import User
from workflows.db import db
from workflows.delivery import delivery_stats
from workflows.delivery.progress import parked_channels
from workflows.outages.access import scoped
from workflows.outages.models import STATUSES, Outage, OutageBuilding, OutageViolation
from workflows.outages.notices import group_key
from workflows.registry.models import Building


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def violations_of(outage_id: int) -> list[OutageViolation]:
    return list(db.session.scalars(select(OutageViolation).where(OutageViolation.outage_id == outage_id)
                                   .order_by(OutageViolation.id)))


def affected(outage_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(select(Building.id, Building.address, Building.district, OutageBuilding.notified,
                                     OutageBuilding.single_limit_hours, OutageBuilding.monthly_limit_hours)
                              .join(OutageBuilding, OutageBuilding.building_id == Building.id)
                              .where(OutageBuilding.outage_id == outage_id).order_by(OutageBuilding.id))
    return [{"id": r[0], "address": r[1], "district": r[2], "notified": r[3], "single_limit_hours": r[4],
             "monthly_limit_hours": r[5]} for r in rows]


def outage_to_dict(outage: Outage, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": outage.id, "status": outage.status, "kind": outage.kind, "resource": outage.resource,
        "organization": outage.organization.ref(), "description": outage.description,
        "contact_phone": outage.contact_phone or outage.organization.phone, "starts_at": _iso(outage.starts_at),
        "ends_at": _iso(outage.ends_at), "original_ends_at": _iso(outage.original_ends_at),
        "restored_at": _iso(outage.restored_at), "overdue_at": _iso(outage.overdue_at), "revision": outage.revision,
        "affected_count": outage.building_count, "districts": list(outage.districts or []), "summary": outage.summary,
        "instance_id": outage.instance_id, "created_at": _iso(outage.created_at), "updated_at": _iso(outage.updated_at),
    }
    if full:
        data["affected_buildings"] = affected(outage.id)
        data["violations"] = [v.to_dict() for v in violations_of(outage.id)]
        data["deliveries"] = dict(delivery_stats(group_key(outage.id)))
        data["parked_channels"] = parked_channels(group_key(outage.id))
    return data


def list_outages(user: User, filters: dict[str, Any], page: int = 1, per_page: int = 50) -> tuple[list[Outage], int]:
    query = scoped(user)
    for column in ("status", "resource", "kind", "organization_id"):
        value = filters.get(column)
        if value not in (None, ""):
            query = query.where(getattr(Outage, column) == value)
    if filters.get("building_id"):
        query = query.where(Outage.id.in_(select(OutageBuilding.outage_id)
                                          .where(OutageBuilding.building_id == filters["building_id"])))
    if filters.get("current"):
        query = query.where(Outage.status.in_(("registered", "pending_approval", "announced")))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.order_by(Outage.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return list(items), int(total)


def valid_status(value: str | None) -> bool:
    return value in (None, "") or value in STATUSES


def is_overdue(outage: Outage) -> bool:
    return outage.restored_at is None and outage.status == "announced" and outage.ends_at < clock.now()
