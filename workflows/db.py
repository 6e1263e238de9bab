"""The SQLAlchemy handle shared by every model, and helpers that depend only on it."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, MetaData, Table, TypeDecorator, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, registry

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(metadata=MetaData(naming_convention=NAMING), type_annotation_map={datetime: UtcDateTime()})


db = SQLAlchemy(model_class=Base)


def after_commit(session: Any, callback: Callable[[], None]) -> None:
    """Run `callback` once the outermost transaction commits (dropped on rollback).

    Used to enqueue background work only for changes that really happened. A callback added inside
    a savepoint is dropped if that savepoint rolls back, and waits for the outer commit otherwise.
    """
    session = session() if callable(session) and not isinstance(session, Session) else session  # scoped_session
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault("after_commit", []).append((transaction, callback))


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    session.info["_committed"] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: Any) -> None:
    committed = session.info.pop("_committed", False)
    pending = session.info.get("after_commit")
    if not pending:
        return
    mine = [callback for owner, callback in pending if owner is transaction]
    if not mine:
        return
    rest = [(owner, callback) for owner, callback in pending if owner is not transaction]
    if transaction.parent is not None:  # a savepoint: its callbacks now wait for the enclosing one
        session.info["after_commit"] = rest + ([(transaction.parent, c) for c in mine] if committed else [])
        return
    session.info["after_commit"] = rest
    if committed:
        for callback in mine:
            callback()


def is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


COPY_FROM_ROWS = 20  # below this many rows a plain INSERT is as quick as COPY


def insert_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in the current transaction, as cheaply as the backend allows.

    On PostgreSQL a batch goes through COPY: one stream, no protocol round per row. Elsewhere, and for a
    few rows, it is an executemany INSERT.
    """
    if not rows:
        return
    if len(rows) < COPY_FROM_ROWS or not is_postgres():
        db.session.execute(table.insert(), list(rows))
        return
    from psycopg import sql
    from psycopg.types.json import Json

    names = list(rows[0])
    json_columns = {name for name in names if isinstance(table.c[name].type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names))
    driver_connection = db.session.connection().connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([Json(row[name]) if name in json_columns and row[name] is not None else row[name]
                            for name in names])


# A pooled PostgreSQL connection is checked ("pinged") before use only when it has lain idle this long: one that
# was returned a moment ago is as alive as a ping would show, and the ping costs two round trips (BEGIN and the
# statement), more than half of what completing a task needs. HikariCP skips its check the same way (500 ms).
PING_AFTER_IDLE = 0.5


def ping_when_idle(engine: Any) -> None:
    """SQLAlchemy's pre-ping, skipped for a connection checked in less than PING_AFTER_IDLE seconds ago.

    A connection that fails its ping is thrown away and the pool hands out another (DisconnectionError), so a
    restarted server or a connection closed by a firewall while idle costs no request an error."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since < PING_AFTER_IDLE:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise DisconnectionError("the pooled connection did not answer its ping")


def tune_sqlite(engine: Any) -> None:
    """WAL, foreign keys and a busy timeout for SQLite; and real SAVEPOINTs.

    pysqlite opens transactions itself and breaks SAVEPOINT; we switch that off and emit BEGIN,
    as the SQLAlchemy documentation prescribes.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy_timeout) instead of
        # failing with "database is locked" when a read transaction later tries to write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


from workflows import single_line  # noqa: E402,F401  (registers the single-line flush listener)
