"""`GET /api/v1/stats`: the figures of appeals registered in a period, grouped, with totals."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.catalog import CODES
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.registry.models import Organization
from workflows.stats.facts import AppealFact, load_facts, organization_scope
from workflows.stats.period import Period
from workflows.stats.sql_figures import aggregate

GROUPS = ("organization", "category", "district")
NO_ORGANIZATION = "Исполнитель не назначен"
NO_DISTRICT = "Район не указан"


@dataclass(frozen=True)
class Figures:
    registered: int
    accepted: int
    resolved: int
    resolved_on_time: int
    overdue_open: int
    reopened: int
    escalated: int
    median_accept_minutes: float | None
    median_resolve_hours: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.resolved_on_time / self.resolved if self.resolved else None

    def to_dict(self) -> dict[str, Any]:
        return {"registered": self.registered, "accepted": self.accepted, "resolved": self.resolved,
                "resolved_on_time": self.resolved_on_time, "overdue_open": self.overdue_open,
                "reopened": self.reopened, "escalated": self.escalated,
                "median_accept_minutes": self.median_accept_minutes,
                "median_resolve_hours": self.median_resolve_hours}


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def figures_of(facts: Iterable[AppealFact], now: datetime) -> Figures:
    facts = list(facts)
    accepted = [f for f in facts if f.accepted_at is not None]
    resolved = [f for f in facts if f.resolved_at is not None]
    return Figures(
        registered=len(facts), accepted=len(accepted), resolved=len(resolved),
        resolved_on_time=sum(1 for f in resolved if f.on_time),
        overdue_open=sum(1 for f in facts if f.overdue(now)),
        reopened=sum(1 for f in facts if f.reopened), escalated=sum(1 for f in facts if f.escalated),
        median_accept_minutes=_median([(f.accepted_at - f.created_at).total_seconds() / 60
                                       for f in accepted if f.accepted_at is not None]),
        median_resolve_hours=_median([(f.resolved_at - f.created_at).total_seconds() / 3600
                                      for f in resolved if f.resolved_at is not None]))


def _group_key(group: str) -> Callable[[AppealFact], Any]:
    if group == "organization":
        return lambda f: f.organization_id
    if group == "category":
        return lambda f: f.category
    return lambda f: f.district


def organization_names(ids: Iterable[Any]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(wanted)))
    return {int(row[0]): str(row[1]) for row in rows}


def _key(group: str, value: Any, names: dict[int, str]) -> Any:
    if group == "organization":
        return {"id": value, "name": names.get(value, NO_ORGANIZATION) if value is not None else NO_ORGANIZATION}
    if group == "district":
        return {"id": value, "name": value or NO_DISTRICT}
    return value


def _order(group: str) -> Callable[[tuple[Any, Figures]], Any]:
    if group == "category":
        return lambda item: (CODES.index(item[0]) if item[0] in CODES else len(CODES), str(item[0]))
    return lambda item: (-item[1].registered, str(item[0]))


def grouped(facts: list[AppealFact], group: str, now: datetime) -> list[tuple[Any, Figures]]:
    key_of = _group_key(group)
    buckets: dict[Any, list[AppealFact]] = {}
    for fact in facts:
        buckets.setdefault(key_of(fact), []).append(fact)
    rows = [(value, figures_of(members, now)) for value, members in buckets.items()]
    return sorted(rows, key=_order(group))


def _from_sql(row: tuple[Any, ...]) -> Figures:
    accept_s, resolve_s = row[8], row[9]
    return Figures(registered=int(row[1]), accepted=int(row[2]), resolved=int(row[3]), resolved_on_time=int(row[4]),
                   overdue_open=int(row[5]), reopened=int(row[6]), escalated=int(row[7]),
                   median_accept_minutes=round(float(accept_s) / 60, 1) if accept_s is not None else None,
                   median_resolve_hours=round(float(resolve_s) / 3600, 1) if resolve_s is not None else None)


def _sql_stats(period: Period, scope: int | None, group: str, now: datetime) -> tuple[list[tuple[Any, Figures]],
                                                                                          Figures]:
    groups, totals = aggregate(period, scope, group, now)
    rows = sorted(((r[0], _from_sql(r)) for r in groups), key=_order(group))
    return rows, (_from_sql(totals) if totals else figures_of([], now))


def stats(user: User, period: Period, group: str = "organization") -> dict[str, Any]:
    """The contract's answer: one item per organisation / category / district, and the totals."""
    if group not in GROUPS:
        raise ValidationFailed("неизвестная группировка", {"group": f"одно из: {', '.join(GROUPS)}"})
    now, scope = clock.now(), organization_scope(user)
    if db.session.get_bind().dialect.name == "postgresql":  # counts and medians aggregated by the database
        rows, total = _sql_stats(period, scope, group, now)
    else:
        facts = load_facts(period, scope)
        rows, total = grouped(facts, group, now), figures_of(facts, now)
    names = organization_names(value for value, _ in rows) if group == "organization" else {}
    items = [{"key": _key(group, value, names), **figures.to_dict()} for value, figures in rows]
    return {"items": items, "totals": total.to_dict(),
            "from": period.first.isoformat(), "to": period.last.isoformat(), "group": group}
