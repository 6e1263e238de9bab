"""Reading appeals: per-organisation isolation, filters, paging, the appeal with its history."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from connectors import phones
from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.appeals.models import OPEN_STATUSES, WORKING_STATUSES, Appeal, AppealEvent
from workflows.db import db
from workflows.errors import NotFound
from workflows.registry.address_index import registry_index

# Who sees applicants' personal data on screens and in exports (152-ФЗ: only those who need it for the work).
PERSONAL_DATA_CITY_ROLES = frozenset({"dispatcher", "coordinator"})
PERSONAL_DATA_ORG_ROLES = frozenset({"org_staff", "org_head", "integration"})


def scoped(user: User) -> Select[Any]:
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


def filtered(user: User, filters: dict[str, Any]) -> Select[Any]:
    query = scoped(user)
    for column in ("status", "organization_id", "category", "building_id", "channel", "incident_id"):
        value = filters.get(column)
        if value not in (None, ""):
            query = query.where(getattr(Appeal, column) == value)
    if filters.get("overdue"):
        query = query.where(overdue_condition())
    if filters.get("working"):
        query = query.where(Appeal.status.in_(WORKING_STATUSES))
    if filters.get("emergency"):
        query = query.where(Appeal.emergency.is_(True))
    if filters.get("phone"):
        query = query.where(Appeal.applicant_phone == phones.stored(str(filters["phone"])))
    return _screen_filters(query, filters)


def overdue_condition() -> ColumnElement[bool]:
    """Late now, or late once: an open appeal past its running deadline, and any appeal (closed too) that was
    accepted or resolved after its deadline."""
    return or_(and_(Appeal.status.in_(OPEN_STATUSES), Appeal.due_at < clock.now()),
               Appeal.accepted_at > Appeal.accept_due_at, Appeal.resolved_at > Appeal.resolve_due_at)


def _screen_filters(query: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    """The registry screen's filters: address text, registration date range."""
    if filters.get("address"):
        query = query.where(Appeal.building_id.in_(buildings_matching(str(filters["address"]))))
    if filters.get("created_from") is not None:
        query = query.where(Appeal.created_at >= filters["created_from"])
    if filters.get("created_before") is not None:
        query = query.where(Appeal.created_at < filters["created_before"])
    return query


def buildings_matching(address: str, limit: int = 50) -> list[int]:
    """Buildings an address filter means: the one building it resolves to, else the live-search candidates."""
    index = registry_index()
    resolution = index.resolve(address)
    if resolution.building_id is not None:
        return [resolution.building_id]
    return [candidate.building_id for candidate in index.search(address, limit=limit)]


def may_see_personal(user: User, appeal: Appeal) -> bool:
    """Applicant's name and phone: ЦГДС, and the staff of the organisation the appeal is assigned to."""
    if user.role in PERSONAL_DATA_CITY_ROLES:
        return True
    return (user.role in PERSONAL_DATA_ORG_ROLES and appeal.organization_id is not None
            and appeal.organization_id == user.organization_id)


def incident_appeals(user: User, incident_id: int, limit: int = 200) -> list[Appeal]:
    """The appeals of one incident the user may see, oldest first."""
    query: Any = scoped(user).where(Appeal.incident_id == incident_id).order_by(Appeal.id).limit(limit)
    return list(db.session.scalars(query))


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
        "accept_breached": appeal.accept_breached, "resolve_breached": appeal.resolve_breached,
        "received_at": _iso(appeal.received_at), "register_due_at": _iso(appeal.register_due_at),
        "register_breached": appeal.register_breached, "extended_due_at": _iso(appeal.extended_due_at),
        "extension_reason": appeal.extension_reason,
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


def actor_names(actor_ids: set[int]) -> dict[int, str]:
    """Display names of the users who acted in a history."""
    if not actor_ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name, User.login).where(User.id.in_(actor_ids)))
    return {row[0]: row[1] or row[2] for row in rows}
