"""A user task's step on PostgreSQL in two round trips, through psycopg itself.

SQLAlchemy cannot run a statement inside psycopg's pipeline and read its answer (it asks for the result's
columns before the pipeline has sent anything), and each of its executions costs more time than the round trip
it makes. So the completion's own statements go to the session's connection directly, in the session's
transaction:

1. `read`: BEGIN and the locking read of the task, its instance's state and bundle, sent together;
2. `Writes`: every write of the step and the COMMIT, sent together when the block ends.

The session still owns the transaction: anything it holds is flushed before the writes, and its commit
afterwards finds the connection committed (psycopg sends nothing) and runs the after-commit callbacks.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from psycopg import Connection, Cursor
from psycopg.types.json import Json
from sqlalchemy import JSON, Table
from sqlalchemy.dialects import postgresql

from workflows.db import UtcDateTime, db

_DIALECT = postgresql.psycopg.dialect()  # type: ignore[attr-defined]


def _driver() -> Connection[Any]:
    """The psycopg connection under the session's (checked out, and in the session's transaction)."""
    driver = db.session.connection().connection.driver_connection
    assert isinstance(driver, Connection)
    return driver


@cache
def _sql(statement: Any) -> str:
    """A Core statement (with plain bind parameters) as psycopg's text, compiled once."""
    return str(statement.compile(dialect=_DIALECT))


def read(statement: Any, columns: Sequence[Any], params: dict[str, Any]) -> tuple[Any, ...] | None:
    """One row of `statement` (selecting `columns`), BEGIN included in the same round trip; UTC times as the
    model's type gives them."""
    driver = _driver()
    with driver.pipeline():
        cursor = driver.execute(_sql(statement), params)  # type: ignore[arg-type]  # compiled text, our parameters
    row = cursor.fetchone()
    if row is None:
        return None
    return tuple(_utc(column, value) for column, value in zip(columns, row, strict=True))


def _utc(column: Any, value: Any) -> Any:
    if value is not None and isinstance(column.type, UtcDateTime):
        return column.type.process_result_value(value, _DIALECT)
    return value


class Writes:
    """The step's statements, queued on the connection's pipeline; `commit` queues the COMMIT."""

    def __init__(self, cursor: Cursor[Any]) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: dict[str, Any]) -> None:
        self.cursor.execute(sql, params)  # type: ignore[arg-type]  # our own fixed texts

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        keys = tuple(rows[0])
        json_keys = _json_columns(table)
        values = [{key: Json(row[key]) if key in json_keys and row[key] is not None else row[key] for key in keys}
                  for row in rows]
        self.cursor.executemany(_insert_sql(table, keys), values)  # type: ignore[arg-type]

    def commit(self) -> None:
        self.cursor.execute("COMMIT")


@contextmanager
def writes() -> Iterator[Writes]:
    """Queue the step's writes; they and the COMMIT leave in one round trip when the block ends (an error in
    any of them is raised there, and the transaction is then rolled back by the session)."""
    if db.session.new or db.session.dirty or db.session.deleted:
        db.session.flush()  # the session's own changes go first, in the same transaction
    driver = _driver()
    with driver.pipeline(), driver.cursor() as cursor:
        yield Writes(cursor)


@cache
def _json_columns(table: Table) -> frozenset[str]:
    return frozenset(column.key for column in table.c if isinstance(column.type, JSON))


@cache
def _insert_sql(table: Table, keys: tuple[str, ...]) -> str:
    columns = ", ".join(f'"{key}"' for key in keys)
    values = ", ".join(f"%({key})s" for key in keys)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({values})'
