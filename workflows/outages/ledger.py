"""The interruption ledger of ПП 354: per building, resource and month — every interruption with its start,
its confirmed end (and the supplier's claimed one), the limits applied with their source, the hours over
and the reduction of that month's charge.

An interruption counts until the building confirms restoration (a representative's "Есть"); a "Нет" keeps
it counting; without an answer the supplier's restored_at stands and is marked as not confirmed. How the
hours are counted is in `workflows.outages.interruptions`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, or_, select

from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.outages.interruptions import Interruption, MonthFigures, Piece, merge, month_figures
from workflows.outages.intervals import month_bounds
from workflows.outages.models import Outage, OutageBuilding
from workflows.registry.models import Building, BuildingSupplier
from workflows.resources import RESOURCES

# Outages that ended this long before the month are still read, so an interruption that began in an
# earlier month (a 14-day maintenance shutdown, a chain of overlapping outages) is judged as a whole.
LOOKBACK = timedelta(days=45)
# every outage that happened counts, approved or not; a rejected one did not happen
COUNTED_STATUSES = ("registered", "pending_approval", "announced", "restored")


@dataclass(frozen=True)
class Scope:
    month: tuple[int, int]
    building_id: int | None = None
    resource: str | None = None
    organization_id: int | None = None  # an organisation's staff: its own buildings and resources


@dataclass
class LedgerRow:
    building_id: int
    address: str
    resource: str
    month: str  # "2026-11"
    figures: MonthFigures
    interruptions: list[Interruption] = field(default_factory=list)
    window: tuple[datetime, datetime] | None = None

    @property
    def single_limit(self) -> float | None:
        limits = [i.single for i in self.interruptions if i.single is not None]
        return min(limits) if limits else None

    @property
    def outage_ids(self) -> list[int]:
        return sorted({o for i in self.interruptions for o in i.outage_ids})

    @property
    def sources(self) -> list[str]:
        return sorted({p.source for i in self.interruptions for p in i.pieces if p.source})

    def interruption_dicts(self) -> list[dict[str, Any]]:
        assert self.window is not None
        return [_interruption_dict(i, self.window) for i in self.interruptions]

    def to_dict(self) -> dict[str, Any]:
        f = self.figures
        return {"building_id": self.building_id, "address": self.address, "resource": self.resource,
                "month": self.month, "hours_off": f.hours_off, "single_limit_hours": self.single_limit,
                "monthly_limit_hours": f.monthly_limit, "hours_over": f.hours_over,
                "reduction_percent": f.reduction_percent, "outage_ids": self.outage_ids,
                "single_limit_hours_over": f.single_over, "monthly_limit_hours_over": f.monthly_over,
                "hours_counted_monthly": f.counted_hours, "sources": self.sources,
                "interruptions": self.interruption_dicts()}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _ongoing(piece: Piece) -> bool:
    return piece.confirmed_end is None and (piece.claimed_end is None or piece.disputed_at is not None)


def _interruption_dict(item: Interruption, window: tuple[datetime, datetime]) -> dict[str, Any]:
    rule = item.governing
    return {"outage_ids": item.outage_ids, "kinds": sorted({p.kind for p in item.pieces}),
            "causes": [p.cause for p in item.pieces if p.cause], "starts_at": _iso(item.start),
            "ends_at": _iso(item.end), "ongoing": any(_ongoing(p) for p in item.pieces),
            "claimed_restored_at": _iso(max((p.claimed_end for p in item.pieces if p.claimed_end), default=None)),
            "confirmed_restored_at": _iso(max((p.confirmed_end for p in item.pieces if p.confirmed_end),
                                              default=None)),
            "disputed_at": _iso(max((p.disputed_at for p in item.pieces if p.disputed_at), default=None)),
            "hours": round(item.hours, 2), "hours_in_month": round(item.hours_in(window), 2),
            "single_limit_hours": item.single, "hours_over_single_in_month": round(item.over_in(window), 2),
            "counts_monthly": item.counts_monthly, "rule": rule.rule, "source": rule.source}


def ledger_end(outage: Outage, link: OutageBuilding, now: datetime) -> datetime:
    """Confirmed end; else still counting while disputed or not restored; else the supplier's claim."""
    if link.confirmed_restored_at is not None:
        return link.confirmed_restored_at
    if outage.restored_at is None or link.restoration_disputed_at is not None:
        return max(now, outage.starts_at)
    return outage.restored_at


def _piece(outage: Outage, link: OutageBuilding, now: datetime) -> Piece:
    return Piece(outage.id, outage.kind, outage.description.strip(), outage.starts_at, ledger_end(outage, link, now),
                 outage.restored_at, link.confirmed_restored_at, link.restoration_disputed_at,
                 link.single_limit_hours, link.monthly_limit_hours, link.counts_monthly is not False,
                 link.limit_rule or "", link.limit_source or "", link.reduction_per_hour)


def _query(scope: Scope, window: tuple[datetime, datetime], now: datetime) -> Select[Any]:
    query: Any = (select(OutageBuilding, Outage, Building.address)
             .join(Outage, Outage.id == OutageBuilding.outage_id)
             .join(Building, Building.id == OutageBuilding.building_id)
             .where(Outage.status.in_(COUNTED_STATUSES), Outage.starts_at <= now, Outage.starts_at < window[1],
                    or_(Outage.restored_at.is_(None), Outage.restored_at >= window[0] - LOOKBACK,
                        OutageBuilding.restoration_disputed_at.is_not(None),
                        OutageBuilding.confirmed_restored_at >= window[0] - LOOKBACK)))
    if scope.building_id is not None:
        query = query.where(OutageBuilding.building_id == scope.building_id)
    if scope.resource is not None:
        query = query.where(Outage.resource == scope.resource)
    if scope.organization_id is not None:
        org = scope.organization_id
        supplies = exists().where(BuildingSupplier.building_id == Building.id,
                                  BuildingSupplier.resource == Outage.resource, BuildingSupplier.organization_id == org)
        query = query.where(or_(Building.management_org_id == org, Outage.organization_id == org, supplies))
    return query


def ledger(scope: Scope) -> list[LedgerRow]:
    """The month's rows, every interruption listed; ordered by address and resource."""
    now = clock.now()
    window = month_bounds(*scope.month)
    pieces: dict[tuple[int, str], list[Piece]] = defaultdict(list)
    addresses: dict[int, str] = {}
    for link, outage, address in db.session.execute(_query(scope, window, now)):
        pieces[(link.building_id, outage.resource)].append(_piece(outage, link, now))
        addresses[link.building_id] = address
    rows = []
    for (building_id, resource), found in pieces.items():
        touching = [i for i in merge(found) if i.touches(window)]
        if touching:
            rows.append(LedgerRow(building_id, addresses[building_id], resource, f"{scope.month[0]:04d}-"
                                  f"{scope.month[1]:02d}", month_figures(touching, window), touching, window))
    return sorted(rows, key=lambda r: (r.address, r.resource))


def parse_month(text: str | None, errors: dict[str, Any]) -> tuple[int, int] | None:
    year, _, number = (text or "").strip().partition("-")
    if len(year) == 4 and year.isdigit() and number.isdigit() and 1 <= int(number) <= 12 and 2000 <= int(year) < 2100:
        return int(year), int(number)
    errors["month"] = "месяц в виде ГГГГ-ММ, например 2026-11" if text else "обязательный параметр: месяц ГГГГ-ММ"
    return None


def scope_for(user: User, month: str | None, building_id: int | None, resource: str | None) -> Scope:
    """The ledger a user asked for; an organisation's staff see their own buildings and resources only."""
    errors: dict[str, Any] = {}
    parsed = parse_month(month, errors)
    if resource not in (None, "") and resource not in RESOURCES:
        errors["resource"] = f"один из ресурсов: {', '.join(RESOURCES)}"
    if errors or parsed is None:
        raise ValidationFailed("журнал перерывов не может быть показан", errors)
    own = None if user.role in CITY_WIDE_ROLES else (user.organization_id or -1)
    return Scope(parsed, building_id, resource or None, own)
