"""The analytics page's tables: each one a chart in the page, a table under it, and a CSV/Excel download.

Every figure comes from the same appeal facts as `GET /api/v1/stats` (facts.py) for the chosen period.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.models import AppealEvent
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.social_intake.models import SocialPost
from workflows.stats.facts import AppealFact, load_facts, organization_scope
from workflows.stats.figures import grouped, organization_names
from workflows.stats.period import Period, city_zone
from workflows.stats.rating import method, repeated_ids

BUCKETS = {"day": "по дням", "week": "по неделям", "month": "по месяцам"}
SOCIAL_ANSWER_HOURS = 8  # ЦУР practice: the first public answer within 8 working hours
NETWORKS = {"vk": "ВКонтакте", "telegram": "Telegram", "max": "MAX"}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def has_chart(self) -> bool:
        return any(v is not None for d in self.chart.get("datasets", []) for v in d.get("data", []))


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _bucket_start(moment: datetime, bucket: str) -> date:
    day = moment.astimezone(city_zone()).date()
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _bucket_label(day: date, bucket: str) -> str:
    return day.strftime("%m.%Y") if bucket == "month" else day.strftime("%d.%m.%Y")


def trend(facts: list[AppealFact], bucket: str) -> Table:
    registered: dict[date, int] = {}
    resolved: dict[date, list[AppealFact]] = {}
    for f in facts:
        registered[_bucket_start(f.created_at, bucket)] = registered.get(_bucket_start(f.created_at, bucket), 0) + 1
        if f.resolved_at is not None:
            resolved.setdefault(_bucket_start(f.resolved_at, bucket), []).append(f)
    table = Table("trend", f"Зарегистрировано и решено {BUCKETS[bucket]}",
                  ["Период", "Зарегистрировано", "Решено", "Решено в срок, %"])
    for day in sorted(set(registered) | set(resolved)):
        done = resolved.get(day, [])
        table.rows.append([_bucket_label(day, bucket), registered.get(day, 0), len(done),
                           _pct(sum(1 for f in done if f.on_time), len(done))])
    table.chart = {"type": "bar", "labels": [r[0] for r in table.rows], "datasets": [
        {"label": "Зарегистрировано", "data": [r[1] for r in table.rows]},
        {"label": "Решено", "data": [r[2] for r in table.rows]},
        {"label": "Решено в срок, %", "data": [r[3] for r in table.rows], "type": "line", "yAxisID": "share"}]}
    return table


def _label(group: str, value: Any, names: dict[int, str]) -> str:
    if group == "organization":
        return names.get(value, "Исполнитель не назначен") if value is not None else "Исполнитель не назначен"
    if group == "category":
        entry = BY_CODE.get(value)
        return entry.name if entry else str(value)
    return str(value or "Район не указан")


def sla(facts: list[AppealFact], group: str, now: datetime, title: str) -> Table:
    rows = grouped(facts, group, now)
    names = organization_names(v for v, _ in rows) if group == "organization" else {}
    table = Table(f"sla_{group}", title, ["", "Обращений", "Решено", "Решено в срок", "В срок, %", "Просрочено сейчас"])
    table.columns[0] = {"organization": "Организация", "category": "Категория", "district": "Район"}[group]
    for value, figures in rows:
        table.rows.append([_label(group, value, names), figures.registered, figures.resolved,
                           figures.resolved_on_time, _pct(figures.resolved_on_time, figures.resolved),
                           figures.overdue_open])
    table.chart = {"type": "bar", "horizontal": True, "labels": [r[0] for r in table.rows],
                   "datasets": [{"label": "Решено в срок, %", "data": [r[4] for r in table.rows]}], "max": 100}
    return table


def _shares(key: str, title: str, first: str, what: str, rows: list[tuple[str, int, int]]) -> Table:
    table = Table(key, title, [first, "Обращений", what, "Доля, %"])
    table.rows = [[label, total, part, _pct(part, total)] for label, total, part in rows]
    table.chart = {"type": "bar", "labels": [r[0] for r in table.rows],
                   "datasets": [{"label": "Доля, %", "data": [r[3] for r in table.rows]}]}
    return table


def repeats(facts: list[AppealFact]) -> Table:
    window = int(method()["repeat_window_days"])
    repeated = repeated_ids(facts, timedelta(days=window))
    by_category: dict[str, list[AppealFact]] = {}
    for f in facts:
        by_category.setdefault(f.category, []).append(f)
    rows = sorted(((_label("category", c, {}), len(m), sum(1 for f in m if f.id in repeated))
                   for c, m in by_category.items()), key=lambda r: (-r[2], r[0]))
    table = _shares("repeats", f"Повторные жалобы: тот же дом и та же категория в течение {window} дней",
                    "Категория", "Повторных", rows)
    return table


def reopen_rate(facts: list[AppealFact], now: datetime) -> Table:
    rows_in = grouped(facts, "organization", now)
    names = organization_names(v for v, _ in rows_in)
    rows = [(_label("organization", v, names), fig.registered, fig.reopened) for v, fig in rows_in]
    return _shares("reopen", "Открыто повторно после ответа жителя «не исправлено»", "Организация",
                   "Открыто повторно", sorted(rows, key=lambda r: (-(r[2] / r[1] if r[1] else 0), r[0])))


def verdicts(facts: list[AppealFact]) -> Table:
    counts = {"fixed": 0, "not_fixed": 0, "no_answer": 0}
    ids = [f.id for f in facts]
    for start in range(0, len(ids), 900):
        rows = db.session.execute(select(AppealEvent.kind, AppealEvent.data).where(
            AppealEvent.appeal_id.in_(ids[start:start + 900]), AppealEvent.kind.in_(("resident_answer", "closed"))))
        for kind, data in rows:
            answer = (data or {}).get("answer")
            if kind == "resident_answer" and answer in ("fixed", "not_fixed"):
                counts[answer] += 1
            elif kind == "closed" and answer == "no_answer":
                counts["no_answer"] += 1
    labels = {"fixed": "Исправлено", "not_fixed": "Не исправлено", "no_answer": "Не ответил за 3 дня"}
    total = sum(counts.values())
    table = Table("verdicts", "Оценки жителей после ответа организации", ["Ответ жителя", "Ответов", "Доля, %"])
    table.rows = [[labels[k], n, _pct(n, total)] for k, n in counts.items()]
    table.chart = {"type": "doughnut", "labels": [r[0] for r in table.rows],
                   "datasets": [{"label": "Ответов", "data": [r[1] for r in table.rows]}]}
    return table


def social_first_answer(period: Period) -> Table:
    rows = db.session.execute(select(SocialPost.network, SocialPost.posted_at, SocialPost.first_seen_at,
                                     SocialPost.reply_posted_at).where(
        SocialPost.first_seen_at >= period.starts_at, SocialPost.first_seen_at < period.ends_before,
        SocialPost.is_complaint.is_(True)))
    by_network: dict[str, list[float | None]] = {}
    for network, posted_at, seen_at, reply_at in rows:
        hours = (reply_at - (posted_at or seen_at)).total_seconds() / 3600 if reply_at is not None else None
        by_network.setdefault(network, []).append(hours)
    table = Table("social", "Первый публичный ответ на жалобы в соцсетях",
                  ["Сеть", "Жалоб", "С ответом", "Медиана до ответа, ч", f"Ответ за {SOCIAL_ANSWER_HOURS} ч, %"],
                  note="Срок первого ответа по практике ЦУР — 8 рабочих часов (4 для срочных).")
    for network, values in sorted(by_network.items()):
        answered = [v for v in values if v is not None]
        table.rows.append([NETWORKS.get(network, network), len(values), len(answered),
                           round(median(answered), 1) if answered else None,
                           _pct(sum(1 for v in answered if v <= SOCIAL_ANSWER_HOURS), len(values))])
    table.chart = {"type": "bar", "labels": [r[0] for r in table.rows],
                   "datasets": [{"label": "Медиана до ответа, ч", "data": [r[3] for r in table.rows]}]}
    return table


def analytics(user: User, period: Period, bucket: str = "day") -> list[Table]:
    if bucket not in BUCKETS:
        raise ValidationFailed("неизвестный шаг", {"bucket": "day, week или month"})
    now, facts = clock.now(), load_facts(period, organization_scope(user))
    builders: list[Callable[[], Table]] = [
        lambda: trend(facts, bucket),
        lambda: sla(facts, "organization", now, "Соблюдение сроков по организациям"),
        lambda: sla(facts, "category", now, "Соблюдение сроков по категориям"),
        lambda: sla(facts, "district", now, "Соблюдение сроков по районам"),
        lambda: repeats(facts), lambda: reopen_rate(facts, now), lambda: verdicts(facts),
        lambda: social_first_answer(period),
    ]
    return [build() for build in builders]


def table_named(tables: list[Table], key: str) -> Table:
    for table in tables:
        if table.key == key:
            return table
    raise ValidationFailed("нет такой таблицы", {"table": key})

