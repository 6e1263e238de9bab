"""Checks of an outage against the permitted interruptions (limits come from outage_limits.dmn).

Each kind of violation is recorded once per outage with the buildings it concerns; the outage goes out
regardless (residents must know) and the coordinator gets a task to review it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from workflows.calendar import add_working_days
from workflows.db import db
from workflows.outages.intervals import clipped_hours, hours, month_bounds, months_of
from workflows.outages.models import Outage, OutageBuilding, OutageViolation
from workflows.registry.models import Building

CHUNK = 900


@dataclass(frozen=True)
class Other:
    outage_id: int
    building_id: int
    starts_at: datetime
    ends_at: datetime


def apply_limits(outage: Outage, limits: Sequence[dict[str, Any]]) -> list[tuple[OutageBuilding, int, bool]]:
    """Store each building's limits from the DMN results per (power_sources, dead_end_hot_water) group."""
    table = {(int(x["power_sources"] or 1), bool(x["dead_end_hot_water"])): x for x in limits}
    rows = db.session.execute(select(OutageBuilding, Building.power_sources, Building.dead_end_hot_water)
                              .join(Building, Building.id == OutageBuilding.building_id)
                              .where(OutageBuilding.outage_id == outage.id)).all()
    for link, power, dead_end in rows:
        found = table.get((int(power or 1), bool(dead_end))) or {}
        link.single_limit_hours = _number(found.get("single_limit"))
        link.monthly_limit_hours = _number(found.get("monthly_limit"))
    return [(row[0], row[1], row[2]) for row in rows]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def others(outage: Outage, building_ids: Sequence[int], start: datetime, end: datetime) -> list[Other]:
    """Intervals of other outages of the same resource on these buildings that touch [start, end)."""
    found: list[Other] = []
    actual_end = func.coalesce(Outage.restored_at, Outage.ends_at)
    for i in range(0, len(building_ids), CHUNK):
        query = (select(Outage.id, OutageBuilding.building_id, Outage.starts_at, Outage.ends_at, Outage.restored_at)
                 .join(OutageBuilding, OutageBuilding.outage_id == Outage.id)
                 .where(OutageBuilding.building_id.in_(building_ids[i:i + CHUNK]), Outage.resource == outage.resource,
                        Outage.id != outage.id, Outage.status != "rejected", Outage.starts_at < end,
                        actual_end > start))
        for oid, bid, starts, ends, restored in db.session.execute(query):
            found.append(Other(oid, bid, starts, restored or ends))
    return [o for o in found if o.starts_at < end and o.ends_at > start]


def _violation(outage: Outage, kind: str, message: str, ids: Sequence[int], **details: Any) -> OutageViolation:
    row = OutageViolation(outage_id=outage.id, kind=kind, message=message, building_ids=sorted(set(ids)),
                          details=details)
    db.session.add(row)
    return row


def check_single(outage: Outage, links: Sequence[OutageBuilding]) -> OutageViolation | None:
    duration = hours(outage.starts_at, outage.ends_at)
    over = [link for link in links if link.single_limit_hours is not None and duration > link.single_limit_hours]
    if not over:
        return None
    limit = min(link.single_limit_hours or 0 for link in over)
    return _violation(outage, "single_limit", f"Продолжительность {duration:g} ч больше допустимого разового "
                      f"перерыва {limit:g} ч", [link.building_id for link in over], hours=duration, limit=limit)


def check_monthly(outage: Outage, links: Sequence[OutageBuilding]) -> OutageViolation | None:
    limited = {link.building_id: link.monthly_limit_hours for link in links if link.monthly_limit_hours is not None}
    if not limited:
        return None
    over: dict[int, float] = {}
    for year, month in months_of(outage.starts_at, outage.ends_at):
        window = month_bounds(year, month)
        totals: dict[int, float] = defaultdict(float)
        for other in others(outage, list(limited), *window):
            totals[other.building_id] += clipped_hours(other.starts_at, other.ends_at, window)
        mine = clipped_hours(outage.starts_at, outage.ends_at, window)
        for bid, limit in limited.items():
            total = totals[bid] + mine
            if limit is not None and total > limit:
                over[bid] = max(over.get(bid, 0.0), total)
    if not over:
        return None
    worst = max(over.values())
    return _violation(outage, "monthly_limit", f"За месяц перерывы составят до {worst:g} ч — больше допустимого",
                      list(over), totals={str(k): round(v, 2) for k, v in over.items()})


def check_lead_time(outage: Outage, notice_working_days: int) -> OutageViolation | None:
    if outage.kind != "planned" or notice_working_days <= 0:
        return None
    required = add_working_days(outage.created_at, notice_working_days)
    if outage.starts_at >= required:
        return None
    return _violation(outage, "lead_time", f"Плановое отключение объявлено менее чем за {notice_working_days} "
                      "рабочих дней до начала", [], required_by=required.isoformat(),
                      notice_working_days=notice_working_days)


def check_overlap(outage: Outage, building_ids: Sequence[int]) -> OutageViolation | None:
    clashes = others(outage, building_ids, outage.starts_at, outage.ends_at)
    if not clashes:
        return None
    outage_ids = sorted({c.outage_id for c in clashes})
    return _violation(outage, "overlap", "Пересекается с другими отключениями того же ресурса: "
                      + ", ".join(f"№ {i}" for i in outage_ids[:10]), [c.building_id for c in clashes],
                      outage_ids=outage_ids)


def run_checks(outage: Outage, limits: Sequence[dict[str, Any]], notice_working_days: int) -> list[OutageViolation]:
    links = [link for link, _, _ in apply_limits(outage, limits)]
    building_ids = [link.building_id for link in links]
    found = [check_single(outage, links), check_monthly(outage, links), check_lead_time(outage, notice_working_days),
             check_overlap(outage, building_ids)]
    return [v for v in found if v is not None]
