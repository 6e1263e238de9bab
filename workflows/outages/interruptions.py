"""Interruptions of one resource on one building, as ПП 354 (Приложение 1) counts them.

- Outages that overlap (or touch) are one interruption for the residents: counted once.
- The single limit applies to the whole interruption, even across midnight at a month's end; the hours
  beyond it are the last ones, and each falls into the month in which it happened.
- The monthly limit applies to each month's total of the interruptions that count towards it (a
  dead-end accident's permitted 24 h or the annual maintenance shutdown do not).
- A month's hours over = the larger of the single-limit hours over and the monthly total over, so one
  hour is never counted twice; each hour lowers that month's charge by 0.15 %.
Pure functions: the ledger and the checks feed them from the database.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from workflows.outages.intervals import clipped_hours, hours


@dataclass(frozen=True)
class Piece:
    """One outage on one building with the end the ledger counts to and the limit its table row gave."""

    outage_id: int
    kind: str
    cause: str
    start: datetime
    end: datetime
    claimed_end: datetime | None  # the supplier's restored_at
    confirmed_end: datetime | None  # confirmed by the building (a representative's "Есть")
    disputed_at: datetime | None  # a "Нет" to the restoration notice: still counting
    single: float | None
    monthly: float | None
    counts_monthly: bool
    rule: str
    source: str
    reduction_per_hour: float | None = None


@dataclass
class Interruption:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return min(p.start for p in self.pieces)

    @property
    def end(self) -> datetime:
        return max(p.end for p in self.pieces)

    @property
    def governing(self) -> Piece:
        """The piece whose limit applies: the strictest single limit among the overlapping outages."""
        limited = [p for p in self.pieces if p.single is not None]
        return min(limited, key=lambda p: p.single or 0.0) if limited else self.pieces[0]

    @property
    def single(self) -> float | None:
        return self.governing.single

    @property
    def counts_monthly(self) -> bool:
        return self.governing.counts_monthly

    @property
    def hours(self) -> float:
        return hours(self.start, self.end)

    @property
    def outage_ids(self) -> list[int]:
        return sorted({p.outage_id for p in self.pieces})

    def over_window(self) -> tuple[datetime, datetime] | None:
        """The hours beyond the single limit: from start + limit to the end."""
        if self.single is None or self.hours <= self.single:
            return None
        return self.start + timedelta(hours=self.single), self.end

    def touches(self, window: tuple[datetime, datetime]) -> bool:
        """In the month at all (an interruption that began a moment ago has no hours yet but is listed)."""
        return self.start < window[1] and (self.end > window[0] or self.start >= window[0])

    def hours_in(self, window: tuple[datetime, datetime]) -> float:
        return clipped_hours(self.start, self.end, window)

    def over_in(self, window: tuple[datetime, datetime]) -> float:
        over = self.over_window()
        return clipped_hours(over[0], over[1], window) if over else 0.0


def merge(pieces: Iterable[Piece]) -> list[Interruption]:
    """Overlapping or touching pieces become one interruption; ordered by start."""
    merged: list[Interruption] = []
    for piece in sorted(pieces, key=lambda p: (p.start, p.outage_id)):
        if merged and piece.start <= merged[-1].end:
            merged[-1].pieces.append(piece)
        else:
            merged.append(Interruption([piece]))
    return merged


@dataclass(frozen=True)
class MonthFigures:
    hours_off: float
    counted_hours: float  # the hours that count towards the monthly limit
    single_over: float
    monthly_limit: float | None
    monthly_over: float
    hours_over: float
    reduction_percent: float


def month_figures(interruptions: Sequence[Interruption], window: tuple[datetime, datetime]) -> MonthFigures:
    touching = [i for i in interruptions if i.touches(window)]
    hours_off = sum(i.hours_in(window) for i in touching)
    counted = sum(i.hours_in(window) for i in touching if i.counts_monthly)
    single_over = sum(i.over_in(window) for i in touching)
    limits = [p.monthly for i in touching if i.counts_monthly for p in i.pieces if p.monthly is not None]
    monthly_limit = min(limits) if limits else None
    monthly_over = max(0.0, counted - monthly_limit) if monthly_limit is not None else 0.0
    over = round(max(single_over, monthly_over), 2)
    rates = [i.governing.reduction_per_hour for i in touching if i.governing.reduction_per_hour is not None]
    reduction = round(over * max(rates), 2) if rates and over else 0.0
    return MonthFigures(round(hours_off, 2), round(counted, 2), round(single_over, 2), monthly_limit,
                        round(monthly_over, 2), over, reduction)
