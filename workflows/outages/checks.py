"""Checks of an outage against the permitted interruptions (limits come from outage_limits.dmn).

Each kind of violation is recorded once per outage with the buildings it concerns, in Russian words with
the rule's source; the outage goes out regardless (residents must know) and the coordinator gets a task
to review it. The duration checks are run again whenever the expected end changes, at restoration and
when a building confirms or disputes the restoration (`recheck`); the lead time is judged once, at
registration.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from workflows import clock
from workflows.calendar import add_working_days
from workflows.db import db
from workflows.outages.intervals import clipped_hours, hours, month_bounds, months_of
from workflows.outages.limits import apply_limits, limit_words
from workflows.outages.models import Outage, OutageBuilding, OutageViolation

CHUNK = 900
RECHECKED = ("single_limit", "monthly_limit", "overlap")


@dataclass(frozen=True)
class Other:
    outage_id: int
    building_id: int
    starts_at: datetime
    ends_at: datetime
    counts_monthly: bool = True


def checked_end(outage: Outage, link: OutageBuilding | None, now: datetime) -> datetime:
    """The end a check counts to: the confirmed end, else (disputed or unrestored) the later of the expected
    end and now, else the supplier's restored_at."""
    if link is not None and link.confirmed_restored_at is not None:
        return link.confirmed_restored_at
    disputed = link is not None and link.restoration_disputed_at is not None
    if outage.restored_at is not None and not disputed:
        return outage.restored_at
    running = now if outage.starts_at <= now else outage.starts_at
    return max(outage.ends_at, running)


def others(outage: Outage, building_ids: Sequence[int], start: datetime, end: datetime) -> list[Other]:
    """Intervals of other outages of the same resource on these buildings that touch [start, end)."""
    found: list[Other] = []
    now = clock.now()
    actual_end = func.coalesce(Outage.restored_at, Outage.ends_at)
    for i in range(0, len(building_ids), CHUNK):
        query = (select(Outage, OutageBuilding)
                 .join(OutageBuilding, OutageBuilding.outage_id == Outage.id)
                 .where(OutageBuilding.building_id.in_(building_ids[i:i + CHUNK]), Outage.resource == outage.resource,
                        Outage.id != outage.id, Outage.status != "rejected", Outage.starts_at < end,
                        (actual_end > start) | OutageBuilding.restoration_disputed_at.is_not(None)
                        | (Outage.restored_at.is_(None))))
        for other, link in db.session.execute(query):
            found.append(Other(other.id, link.building_id, other.starts_at, checked_end(other, link, now),
                               link.counts_monthly is not False))
    return [o for o in found if o.starts_at < end and o.ends_at > start]


def _violation(outage: Outage, kind: str, message: str, ids: Sequence[int], **details: Any) -> OutageViolation:
    row = OutageViolation(outage_id=outage.id, kind=kind, message=message, building_ids=sorted(set(ids)),
                          details=details, created_at=clock.now())
    db.session.add(row)
    return row


def check_single(outage: Outage, links: Sequence[OutageBuilding]) -> OutageViolation | None:
    now = clock.now()
    over = [(link, hours(outage.starts_at, checked_end(outage, link, now))) for link in links
            if link.single_limit_hours is not None]
    over = [(link, spent) for link, spent in over if spent > (link.single_limit_hours or 0.0)]
    if not over:
        return None
    link, spent = max(over, key=lambda item: item[1] - (item[0].single_limit_hours or 0.0))
    limit = link.single_limit_hours or 0.0
    message = (f"Перерыв {round(spent, 2):g} ч — больше допустимых {limit_words(limit)} подряд: "
               f"{link.limit_rule} ({link.limit_source})")
    return _violation(outage, "single_limit", message, [lk.building_id for lk, _ in over], hours=round(spent, 2),
                      limit=limit, rule=link.limit_rule, source=link.limit_source)


def _union_hours(intervals: list[tuple[datetime, datetime]], window: tuple[datetime, datetime]) -> float:
    """Hours covered by the intervals inside the window, overlaps counted once."""
    total, reach = 0.0, window[0]
    for start, end in sorted(intervals):
        start = max(start, reach)
        if end > start:
            total += clipped_hours(start, end, window)
            reach = end
    return total


def check_monthly(outage: Outage, links: Sequence[OutageBuilding]) -> OutageViolation | None:
    limited = {link.building_id: link for link in links if link.monthly_limit_hours is not None}
    if not limited:
        return None
    now = clock.now()
    over: dict[int, float] = {}
    end = max(checked_end(outage, link, now) for link in limited.values())
    for year, month in months_of(outage.starts_at, end):
        window = month_bounds(year, month)
        spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        for other in others(outage, list(limited), *window):
            if other.counts_monthly:
                spans[other.building_id].append((other.starts_at, other.ends_at))
        for bid, link in limited.items():
            if link.counts_monthly is not False:
                spans[bid].append((outage.starts_at, checked_end(outage, link, now)))
            total = _union_hours(spans[bid], window)
            if total > (link.monthly_limit_hours or 0.0):
                over[bid] = max(over.get(bid, 0.0), round(total, 2))
    if not over:
        return None
    worst_id = max(over, key=lambda bid: over[bid])
    link = limited[worst_id]
    message = (f"За месяц перерывы составят до {over[worst_id]:g} ч — больше допустимых "
               f"{limit_words(link.monthly_limit_hours)} в месяц: {link.limit_rule} ({link.limit_source})")
    return _violation(outage, "monthly_limit", message, list(over), totals={str(k): v for k, v in over.items()},
                      limit=link.monthly_limit_hours, rule=link.limit_rule, source=link.limit_source)


def check_lead_time(outage: Outage, notice_working_days: int) -> OutageViolation | None:
    if outage.kind not in ("planned", "maintenance") or notice_working_days <= 0:
        return None
    required = add_working_days(outage.created_at, notice_working_days)
    if outage.starts_at >= required:
        return None
    return _violation(outage, "lead_time", f"Плановое отключение объявлено менее чем за {notice_working_days} "
                      "рабочих дней до начала (ПП 354; срок — в таблице outage_approval)", [],
                      required_by=required.isoformat(), notice_working_days=notice_working_days)


def check_overlap(outage: Outage, building_ids: Sequence[int]) -> OutageViolation | None:
    clashes = others(outage, building_ids, outage.starts_at, checked_end(outage, None, clock.now()))
    if not clashes:
        return None
    outage_ids = sorted({c.outage_id for c in clashes})
    return _violation(outage, "overlap", "Пересекается с другими отключениями того же ресурса (в журнале перерывов "
                      "считается один раз): " + ", ".join(f"№ {i}" for i in outage_ids[:10]),
                      [c.building_id for c in clashes], outage_ids=outage_ids)


def _duration_checks(outage: Outage, links: Sequence[OutageBuilding]) -> list[OutageViolation | None]:
    return [check_single(outage, links), check_monthly(outage, links),
            check_overlap(outage, [link.building_id for link in links])]


def run_checks(outage: Outage, notice_working_days: int) -> list[OutageViolation]:
    """At registration: store the limits on each building and record every violation found."""
    links = apply_limits(outage)
    found = [*_duration_checks(outage, links), check_lead_time(outage, notice_working_days)]
    return [v for v in found if v is not None]


def recheck(outage: Outage) -> list[OutageViolation]:
    """Judge the durations again with the current facts (expected end, restoration, confirmation,
    indoor temperature): the old duration violations are replaced. The caller commits."""
    links = apply_limits(outage)
    db.session.execute(delete(OutageViolation).where(OutageViolation.outage_id == outage.id,
                                                     OutageViolation.kind.in_(RECHECKED)))
    return [v for v in _duration_checks(outage, links) if v is not None]
