"""The interruption ledger: per building, resource and month — hours interrupted, limits, hours over, reduction.

Hours over the limits in a month = the larger of (a) the sum of each outage's hours beyond the single
limit and (b) the month's total beyond the monthly limit, so one hour is never counted twice. Each
hour over lowers the month's charge by 0.15 % (ПП 354, Приложение 1). Outages count from their start
to their restoration (to now while still going on); limits are the ones the DMN table gave each building.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.db import db
from workflows.outages.intervals import clipped_hours, month_bounds, months_of
from workflows.outages.models import Outage, OutageBuilding
from workflows.outages.texts import RESOURCE_NAMES
from workflows.registry.models import Building

REDUCTION_PER_HOUR = 0.15  # percent of the month's charge


@dataclass
class LedgerRow:
    building_id: int
    address: str
    resource: str
    month: str  # "2026-11"
    single_limit: float | None
    monthly_limit: float | None
    events: list[tuple[int, float]] = field(default_factory=list)  # (outage id, hours in this month)

    @property
    def hours(self) -> float:
        return round(sum(h for _, h in self.events), 2)

    @property
    def hours_over(self) -> float:
        single = sum(max(0.0, h - self.single_limit) for _, h in self.events) if self.single_limit is not None else 0.0
        monthly = max(0.0, self.hours - self.monthly_limit) if self.monthly_limit is not None else 0.0
        return round(max(single, monthly), 2)

    @property
    def reduction_percent(self) -> float:
        return round(self.hours_over * REDUCTION_PER_HOUR, 2)

    def to_dict(self) -> dict[str, Any]:
        return {"building_id": self.building_id, "address": self.address, "resource": self.resource,
                "month": self.month, "hours": self.hours, "single_limit": self.single_limit,
                "monthly_limit": self.monthly_limit, "hours_over": self.hours_over,
                "reduction_percent": self.reduction_percent, "outages": [o for o, _ in self.events]}


def ledger(building_id: int | None = None, month: tuple[int, int] | None = None,
           organization_id: int | None = None) -> list[LedgerRow]:
    now = clock.now()
    query = (select(OutageBuilding, Outage, Building.address)
             .join(Outage, Outage.id == OutageBuilding.outage_id)
             .join(Building, Building.id == OutageBuilding.building_id)
             .where(Outage.status.in_(("announced", "restored")), Outage.starts_at <= now)
             .order_by(Outage.starts_at, Outage.id))
    if building_id is not None:
        query = query.where(OutageBuilding.building_id == building_id)
    if organization_id is not None:
        query = query.where(Outage.organization_id == organization_id)
    if month is not None:
        start, end = month_bounds(*month)
        query = query.where(Outage.starts_at < end)
    rows: dict[tuple[int, str, str], LedgerRow] = {}
    for link, outage, address in db.session.execute(query):
        _add(rows, link, outage, address, outage.restored_at or now, month)
    return sorted(rows.values(), key=lambda r: (r.month, r.address, r.resource))


def _add(rows: dict[tuple[int, str, str], LedgerRow], link: OutageBuilding, outage: Outage, address: str,
         actual_end: datetime, only: tuple[int, int] | None) -> None:
    for year, month in months_of(outage.starts_at, actual_end):
        if only is not None and (year, month) != only:
            continue
        spent = clipped_hours(outage.starts_at, actual_end, month_bounds(year, month))
        key = (link.building_id, outage.resource, f"{year:04d}-{month:02d}")
        row = rows.get(key)
        if row is None:
            row = rows[key] = LedgerRow(link.building_id, address, outage.resource, key[2], None, None)
        row.single_limit = link.single_limit_hours if link.single_limit_hours is not None else row.single_limit
        row.monthly_limit = link.monthly_limit_hours if link.monthly_limit_hours is not None else row.monthly_limit
        row.events.append((outage.id, round(spent, 2)))


HEADERS = ("Адрес", "Ресурс", "Месяц", "Часов без ресурса", "Разовый предел, ч", "Месячный предел, ч",
           "Часов сверх предела", "Снижение платы, %", "Отключения №")


def to_xlsx(rows: list[LedgerRow]) -> bytes:
    """The ledger as an Excel workbook: evidence residents take to the recalculation."""
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet.title = "Перерывы"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.address, RESOURCE_NAMES.get(row.resource, row.resource), row.month, row.hours,
                      row.single_limit, row.monthly_limit, row.hours_over, row.reduction_percent,
                      ", ".join(str(o) for o, _ in row.events)])
    for column, width in zip("ABCDEFGHI", (40, 18, 10, 14, 14, 14, 14, 14, 20), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()

