"""The weekly rating of organisations by a published method (weights and thresholds in data/rating.json).

Figures come from the same appeal facts as `GET /api/v1/stats`: appeals registered in the week (Monday to
Sunday, city time), counted against the organisation now responsible.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.stats.facts import AppealFact, load_facts
from workflows.stats.figures import Figures, figures_of, organization_names
from workflows.stats.period import Period

METHOD_FILE = Path(__file__).parent / "data" / "rating.json"


@lru_cache(maxsize=1)
def method() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(METHOD_FILE.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class RatingRow:
    organization_id: int
    name: str
    figures: Figures
    repeats: int
    score: float | None  # None: too few appeals to rank
    rank: int | None

    @property
    def repeat_share(self) -> float:
        return self.repeats / self.figures.registered if self.figures.registered else 0.0

    @property
    def reopen_share(self) -> float:
        return self.figures.reopened / self.figures.registered if self.figures.registered else 0.0


def repeated_ids(facts: list[AppealFact], window: timedelta) -> set[int]:
    """Appeals about a building and category that had another appeal within `window` before them."""
    keyed = [f for f in facts if f.building_id is not None]
    if not keyed:
        return set()
    since = min(f.created_at for f in keyed) - window
    buildings = sorted({f.building_id for f in keyed if f.building_id is not None})
    earlier: dict[tuple[int, str], list[datetime]] = {}
    for start in range(0, len(buildings), 900):
        rows = db.session.execute(select(Appeal.building_id, Appeal.category, Appeal.created_at).where(
            Appeal.building_id.in_(buildings[start:start + 900]), Appeal.created_at >= since))
        for building_id, category, created_at in rows:
            earlier.setdefault((int(building_id or 0), str(category)), []).append(created_at)
    return {f.id for f in keyed if any(f.created_at - window <= t < f.created_at
                                       for t in earlier.get((f.building_id or 0, f.category), []))}


def score_of(figures: Figures, repeats: int) -> float:
    m, weights = method(), method()["weights"]
    registered = figures.registered or 1
    parts = {
        "on_time_share": figures.on_time_share or 0.0,
        "resolve_speed": (max(0.0, 1 - (figures.median_resolve_hours or 0) / float(m["resolve_hours_norm"]))
                          if figures.median_resolve_hours is not None else 0.0),
        "not_reopened": 1 - figures.reopened / registered,
        "not_repeated": 1 - repeats / registered,
        "not_overdue": 1 - figures.overdue_open / registered,
    }
    return round(100 * sum(float(weights[name]) * value for name, value in parts.items()), 1)


def weekly_rating(week: Period) -> list[RatingRow]:
    """Ranked organisations first (best score first), then those with too few appeals."""
    now, m = clock.now(), method()
    facts = [f for f in load_facts(week, None) if f.organization_id is not None]
    repeats = repeated_ids(facts, timedelta(days=int(m["repeat_window_days"])))
    by_org: dict[int, list[AppealFact]] = {}
    for fact in facts:
        by_org.setdefault(fact.organization_id or 0, []).append(fact)
    names = organization_names(by_org)
    rows = []
    for org_id, members in by_org.items():
        figures, repeated = figures_of(members, now), sum(1 for f in members if f.id in repeats)
        ranked = figures.registered >= int(m["minimum_appeals"])
        rows.append(RatingRow(org_id, names.get(org_id, ""), figures, repeated,
                              score_of(figures, repeated) if ranked else None, None))
    ranked_rows = sorted((r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0), r.name))
    too_few = sorted((r for r in rows if r.score is None), key=lambda r: r.name)
    return [RatingRow(r.organization_id, r.name, r.figures, r.repeats, r.score, i + 1)
            for i, r in enumerate(ranked_rows)] + too_few


def method_text() -> list[str]:
    """The method as published on the rating page, made from the same data the score uses."""
    m, w = method(), method()["weights"]
    pct = {name: round(float(value) * 100) for name, value in w.items()}
    return [
        "Рейтинг считается за неделю (с понедельника по воскресенье, время Тамбова) по обращениям, "
        "зарегистрированным в эту неделю, за организацией, которая отвечает за обращение сейчас.",
        f"В рейтинг входят организации, получившие за неделю не меньше {m['minimum_appeals']} обращений; "
        "остальные показаны отдельно с пометкой «мало обращений».",
        "Балл от 0 до 100 складывается из пяти частей:",
        f"доля решённых в срок среди решённых — {pct['on_time_share']} %;",
        f"скорость решения: 1 − медиана часов до решения / {m['resolve_hours_norm']} (не меньше 0) — "
        f"{pct['resolve_speed']} %;",
        f"доля обращений без повторного открытия («не исправлено») — {pct['not_reopened']} %;",
        f"доля обращений, не повторяющих жалобу того же дома и той же категории за предыдущие "
        f"{m['repeat_window_days']} дней, — {pct['not_repeated']} %;",
        f"доля обращений, не просроченных на момент расчёта, — {pct['not_overdue']} %.",
        "Решённым в срок считается обращение, последний ответ «устранено» по которому дан не позже первого "
        "назначенного срока устранения и не оспорен жителем.",
    ]
