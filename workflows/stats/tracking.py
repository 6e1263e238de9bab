"""Keeping `appeal_stat` current: after every flush, the appeals and history events it wrote update it.

A listener on the session, so every service that changes an appeal (intake, the process's operations,
answers, social dispatch) keeps the figures right without knowing about them. `rebuild()` recomputes the
table from the appeals and their history (after a bulk load, or to check the incremental rows); on PostgreSQL
in one INSERT ... SELECT.
"""
from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Double, cast, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.registry.models import Building
from workflows.stats.models import AppealStat

TRACKED_KINDS = ("accepted", "resolved", "reopened", "escalated", "deadlines")
APPEAL_COLUMNS = ("created_at", "organization_id", "category", "building_id", "emergency", "channel", "status",
                  "due_at", "incident_id")


def _seconds(dialect: str, later: Any) -> Any:
    """`later` minus registration in seconds: on PostgreSQL exactly the value its medians were computed from
    (EXTRACT's numeric as float8); on SQLite (whose figures are computed in Python from the times) near it."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", later - AppealStat.created_at), Double)
    return (func.julianday(later) - func.julianday(AppealStat.created_at)) * 86400.0


def _store_seconds(connection: Connection, ids: set[int] | None) -> None:
    dialect = connection.dialect.name
    statement = update(AppealStat).values(accept_seconds=_seconds(dialect, AppealStat.accepted_at),
                                          resolve_seconds=_seconds(dialect, AppealStat.resolved_at))
    if ids is None:
        connection.execute(statement)
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        connection.execute(statement.where(AppealStat.appeal_id.in_(ordered[start:start + 900])))


def _changed(appeal: Appeal) -> bool:
    state: Any = inspect(appeal)
    return any(state.attrs[name].history.has_changes() for name in APPEAL_COLUMNS)


def _district(connection: Connection, building_id: int | None) -> str | None:
    if building_id is None:
        return None
    return connection.execute(select(Building.district).where(Building.id == building_id)).scalar()


def _sync_appeal(connection: Connection, appeal: Appeal, new: bool) -> None:
    values: dict[str, Any] = {name: getattr(appeal, name) for name in APPEAL_COLUMNS}
    if new or inspect(appeal).attrs.building_id.history.has_changes():
        values["district"] = _district(connection, appeal.building_id) or None
    result = connection.execute(update(AppealStat).where(AppealStat.appeal_id == appeal.id).values(**values))
    if result.rowcount == 0:
        values.setdefault("district", _district(connection, appeal.building_id) or None)
        connection.execute(insert(AppealStat).values(appeal_id=appeal.id, **values))


def _event_values(item: AppealEvent) -> dict[str, Any] | None:
    if item.kind == "accepted":
        return {"accepted_at": func.coalesce(AppealStat.accepted_at, item.at)}
    if item.kind == "resolved":
        return {"resolved_at": item.at}
    if item.kind == "reopened":
        return {"reopened_at": item.at}
    if item.kind == "escalated":
        return {"escalated": True}
    due = (item.data or {}).get("resolve_due_at")
    return {"deadline": func.coalesce(AppealStat.deadline, datetime.fromisoformat(str(due)))} if due else None


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    appeals = [(o, o in session.new) for o in chain(session.new, session.dirty) if isinstance(o, Appeal)]
    events = sorted((o for o in session.new if isinstance(o, AppealEvent) and o.kind in TRACKED_KINDS),
                    key=lambda e: (e.at, e.id))
    if not appeals and not events:
        return
    connection = session.connection()
    touched: set[int] = set()
    for appeal, new in appeals:
        if new or _changed(appeal):
            _sync_appeal(connection, appeal, new)
            touched.add(appeal.id)
    for item in events:
        values = _event_values(item)
        if values is not None:
            connection.execute(update(AppealStat).where(AppealStat.appeal_id == item.appeal_id).values(**values))
            touched.add(item.appeal_id)
    if touched:
        _store_seconds(connection, touched)


def _rows(ids: list[int]) -> list[dict[str, Any]]:
    def last(kind: str, fn: Any) -> Any:
        return fn(AppealEvent.at).filter(AppealEvent.kind == kind)

    query = (select(Appeal.id, *[getattr(Appeal, c) for c in APPEAL_COLUMNS], Building.district,
                    last("accepted", func.min), last("resolved", func.max), last("reopened", func.max),
                    func.count(AppealEvent.id).filter(AppealEvent.kind == "escalated"))
             .outerjoin(Building, Building.id == Appeal.building_id)
             .outerjoin(AppealEvent, (AppealEvent.appeal_id == Appeal.id) & AppealEvent.kind.in_(TRACKED_KINDS))
             .where(Appeal.id.in_(ids)).group_by(Appeal.id, Building.district))
    deadlines: dict[int, datetime] = {}
    for appeal_id, data in db.session.execute(select(AppealEvent.appeal_id, AppealEvent.data).where(
            AppealEvent.kind == "deadlines", AppealEvent.appeal_id.in_(ids)).order_by(AppealEvent.id)):
        if appeal_id not in deadlines and isinstance(data, dict) and data.get("resolve_due_at"):
            deadlines[appeal_id] = datetime.fromisoformat(str(data["resolve_due_at"]))
    rows = []
    for r in db.session.execute(query):
        values = dict(zip(("appeal_id", *APPEAL_COLUMNS, "district", "accepted_at", "resolved_at", "reopened_at"),
                          r[:-1], strict=True))
        values.update(escalated=bool(r[-1]), deadline=deadlines.get(r[0]), district=values["district"] or None)
        rows.append(values)
    return rows


# The same rows as _rows(), computed by PostgreSQL in one statement (a million appeals in about a minute).
_POSTGRES_REBUILD = text("""
INSERT INTO appeal_stat (appeal_id, created_at, organization_id, category, building_id, emergency, channel, status,
                         due_at, incident_id, district, accepted_at, resolved_at, reopened_at, escalated, deadline,
                         accept_seconds, resolve_seconds)
SELECT a.id, a.created_at, a.organization_id, a.category, a.building_id, a.emergency, a.channel, a.status, a.due_at,
       a.incident_id, NULLIF(b.district, ''), e.accepted_at, e.resolved_at, e.reopened_at,
       COALESCE(e.escalated, false), d.deadline, EXTRACT(epoch FROM e.accepted_at - a.created_at)::float8,
       EXTRACT(epoch FROM e.resolved_at - a.created_at)::float8
FROM appeal a
LEFT JOIN building b ON b.id = a.building_id
LEFT JOIN (SELECT appeal_id, min(at) FILTER (WHERE kind = 'accepted') AS accepted_at,
                  max(at) FILTER (WHERE kind = 'resolved') AS resolved_at,
                  max(at) FILTER (WHERE kind = 'reopened') AS reopened_at,
                  bool_or(kind = 'escalated') AS escalated
           FROM appeal_event WHERE kind IN ('accepted', 'resolved', 'reopened', 'escalated')
           GROUP BY appeal_id) e ON e.appeal_id = a.id
LEFT JOIN (SELECT DISTINCT ON (appeal_id) appeal_id, (data ->> 'resolve_due_at')::timestamptz AS deadline
           FROM appeal_event WHERE kind = 'deadlines' AND COALESCE(data ->> 'resolve_due_at', '') <> ''
           ORDER BY appeal_id, id) d ON d.appeal_id = a.id
""")


def rebuild(chunk: int = 5000) -> int:
    """Recompute every row from the appeals and their history; commits; returns how many."""
    db.session.execute(delete(AppealStat))
    if db.session.get_bind().dialect.name == "postgresql":
        result: Any = db.session.execute(_POSTGRES_REBUILD)
        count = result.rowcount
        db.session.commit()
        return int(count)
    ids = list(db.session.scalars(select(Appeal.id).order_by(Appeal.id)))
    for start in range(0, len(ids), chunk):
        rows = _rows(ids[start:start + chunk])
        if rows:
            db.session.execute(insert(AppealStat), rows)
    _store_seconds(db.session.connection(), None)
    db.session.commit()
    return len(ids)
