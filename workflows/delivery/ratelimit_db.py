"""The rate limiter in the database, for deployments without Redis.

A reservation is one short transaction on its own connection: the first statement writes (so
SQLite takes its write lock at once instead of failing a read-to-write upgrade) and PostgreSQL
locks the key rows with FOR UPDATE, so concurrent workers take turns.
"""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from workflows.db import db
from workflows.delivery.models import RateSlot
from workflows.delivery.ratelimit import Reservation, Rule, decide


def _insert_missing(conn: Any, keys: list[str]) -> None:
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(RateSlot).values([{"key": key, "tat": 0.0} for key in keys])
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))


def _locked_tats(conn: Any, keys: list[str]) -> dict[str, float]:
    query = select(RateSlot.key, RateSlot.tat).where(RateSlot.key.in_(keys))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return {key: float(tat) for key, tat in conn.execute(query)}


def _set_tat(conn: Any, key: str, tat: float) -> None:
    conn.execute(update(RateSlot).where(RateSlot.key == key).values(tat=tat))


class DatabaseLimiter:
    def reserve(self, shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
        keys = sorted([shared.key] + ([own.key] if own else []))  # one lock order for everyone
        with db.engine.begin() as conn:
            _insert_missing(conn, keys)
            tats = _locked_tats(conn, keys)
            now = time.time()
            result = decide(now, tats[shared.key], tats[own.key] if own else None, max_wait)
            if result.granted:
                slot = now + result.wait
                _set_tat(conn, shared.key, slot + shared.interval)
                if own:
                    _set_tat(conn, own.key, slot + own.interval)
        return result

    def pause(self, key: str, seconds: float) -> None:
        with db.engine.begin() as conn:
            _insert_missing(conn, [key])
            tats = _locked_tats(conn, [key])
            _set_tat(conn, key, max(tats[key], time.time() + seconds))
