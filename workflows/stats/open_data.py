"""Open data: appeals without personal data, one row each, from the same facts as every other figure.

No names, phones, chat ids, flats, texts or addresses: the number, dates, category, district,
organisation, deadlines, whether it was resolved on time, and the status.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from workflows.appeals.catalog import BY_CODE
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.stats.facts import CHUNK, load_facts
from workflows.stats.figures import organization_names
from workflows.stats.period import Period, city_zone

MAX_DAYS = 366
COLUMNS = (
    ("number", "номер обращения"),
    ("registered_at", "дата и время регистрации (международный формат ГГГГ-ММ-ДД, время Тамбова)"),
    ("category", "код категории (тот же, что в Open311)"),
    ("category_name", "категория"),
    ("district", "район города"),
    ("organization", "организация, отвечающая за обращение сейчас"),
    ("accept_due_at", "срок принятия в работу"),
    ("resolve_due_at", "первый назначенный срок устранения"),
    ("accepted_at", "принято в работу"),
    ("resolved_at", "устранено (последний ответ «устранено», не оспоренный жителем)"),
    ("closed_at", "закрыто"),
    ("on_time", "устранено в срок: да / нет; пусто, пока не устранено"),
    ("status", "код состояния"),
)


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(city_zone()).isoformat(timespec="minutes") if moment else ""


def _extra(ids: list[int]) -> dict[int, tuple[str, datetime | None, datetime | None]]:
    found: dict[int, tuple[str, datetime | None, datetime | None]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(select(Appeal.id, Appeal.number, Appeal.accept_due_at, Appeal.closed_at)
                                  .where(Appeal.id.in_(ids[start:start + CHUNK])))
        found.update({r[0]: (r[1], r[2], r[3]) for r in rows})
    return found


def open_data_rows(period: Period) -> Iterator[list[Any]]:
    if period.days > MAX_DAYS:
        raise ValidationFailed("период открытых данных — не больше года", {"from": f"не больше {MAX_DAYS} дней"})
    facts = sorted(load_facts(period, None), key=lambda f: (f.created_at, f.id))
    extra = _extra([f.id for f in facts])
    names = organization_names({f.organization_id for f in facts})
    for f in facts:
        number, accept_due, closed = extra.get(f.id, ("", None, None))
        entry = BY_CODE.get(f.category)
        yield [number, _iso(f.created_at), f.category, entry.name if entry else "", f.district or "",
               names.get(f.organization_id or 0, ""), _iso(accept_due), _iso(f.deadline), _iso(f.accepted_at),
               _iso(f.resolved_at), _iso(closed), ("да" if f.on_time else "нет") if f.resolved_at else "", f.status]
