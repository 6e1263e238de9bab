"""Reading appeals: per-organisation isolation, filters, paging, the appeal with its history."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.appeals.models import OPEN_STATUSES, Appeal, AppealEvent
from workflows.db import db
from workflows.errors import NotFound


def scoped(user: User) -> Select[tuple[Appeal]]:
    """Appeals the user may see: the city's roles see all, an organisation only its own."""
    query = select(Appeal)
    if user.role not in CITY_WIDE_ROLES:
        query = query.where(Appeal.organization_id == (user.organization_id or -1))
    return query


def get_appeal(appeal_id: int, user: User) -> Appeal:
    appeal = db.session.scalar(scoped(user).where(Appeal.id == appeal_id))
    if appeal is None:
        raise NotFound(f"нет обращения {appeal_id}")
    return appeal


def filtered(user: User, filters: dict[str, Any]) -> Select[tuple[Appeal]]:
    query = scoped(user)
    for column in ("status", "organization_id", "category", "building_id", "channel", "incident_id"):
        value = filters.get(column)
        if value not in (None, ""):
            query = query.where(getattr(Appeal, column) == value)
    if filters.get("overdue"):
        query = query.where(Appeal.status.in_(OPEN_STATUSES), Appeal.due_at < clock.now())
    if filters.get("phone"):
        query = query.where(Appeal.applicant_phone == filters["phone"])
    return query


def list_appeals(user: User, filters: dict[str, Any], page: int = 1, per_page: int = 50) -> tuple[list[Appeal], int]:
    query = filtered(user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.order_by(Appeal.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return list(items), int(total)


def history(appeal_id: int) -> list[AppealEvent]:
    return list(db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal_id)
                                   .order_by(AppealEvent.at, AppealEvent.id)))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def appeal_to_dict(appeal: Appeal, with_personal: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": appeal.id, "number": appeal.number, "status": appeal.status, "channel": appeal.channel,
        "external_id": appeal.external_id, "text": appeal.text, "category": appeal.category,
        "emergency": appeal.emergency, "building_id": appeal.building_id, "address": appeal.address_text,
        "organization": appeal.organization.ref() if appeal.organization else None,
        "due_at": _iso(appeal.due_at), "accept_due_at": _iso(appeal.accept_due_at),
        "resolve_due_at": _iso(appeal.resolve_due_at), "incident_id": appeal.incident_id,
        "escalation_level": appeal.escalation_level, "created_at": _iso(appeal.created_at),
        "accepted_at": _iso(appeal.accepted_at), "resolved_at": _iso(appeal.resolved_at),
        "closed_at": _iso(appeal.closed_at), "result": appeal.result, "instance_id": appeal.instance_id,
        "source_url": appeal.source_url,
    }
    if with_personal:
        data["applicant"] = {"name": appeal.applicant_name, "phone": appeal.applicant_phone,
                             "channel": appeal.applicant_channel, "chat_id": appeal.applicant_chat_id}
        data["flat"] = appeal.flat
    return data
