"""Who may see and change which outages: the city's services all, an organisation its own."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import Forbidden, NotFound
from workflows.outages.models import Outage

MANAGING_ROLES = frozenset({"dispatcher", "coordinator", "admin", "org_staff", "org_head", "integration"})


def scoped(user: User) -> Select[Any]:
    query = select(Outage)
    if user.role not in CITY_WIDE_ROLES:
        query = query.where(Outage.organization_id == (user.organization_id or -1))
    return query


def get_outage(outage_id: int, user: User | None) -> Outage:
    query = scoped(user) if user is not None else select(Outage)
    outage: Outage | None = db.session.scalar(query.where(Outage.id == outage_id))
    if outage is None:
        raise NotFound(f"нет отключения {outage_id}")
    return outage


def check_manage(user: User | None, outage: Outage) -> None:
    if user is None:
        return
    if user.role not in MANAGING_ROLES:
        raise Forbidden("изменять отключения могут ЦГДС и организация, которая его зарегистрировала")
