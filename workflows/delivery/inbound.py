"""Updates from the messengers: stored once by (channel, update_id), then handled by a task.

Handlers form a table in the app's services (composed in workflows.wiring): callback payloads
`prefix:argument` go to the handler of `prefix`; other events to the handler named "@message",
"@command" or "@contact".  A handler is
`handler(event, argument) -> answer | None` and runs in the transaction that marks the update
handled (so it must not commit); the answer is shown to whoever pressed the button.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from connectors.inbound import InboundEvent, parse_max_update, parse_telegram_update
from connectors.vk_inbound import parse_vk_update
from workflows import clock
from workflows.db import after_commit, db
from workflows.delivery.connections import inbound_handlers
from workflows.delivery.models import InboundUpdate
from workflows.delivery.replies import answer_callback
from workflows.errors import ValidationFailed
from workflows.services import services

log = logging.getLogger(__name__)
PARSERS: dict[str, Callable[[Mapping[str, Any]], InboundEvent | None]] = {
    "telegram": parse_telegram_update,
    "max": parse_max_update,
    "vk": parse_vk_update,
}


def _parse(channel: str, raw: Mapping[str, Any]) -> InboundEvent | None:
    parser = PARSERS.get(channel)
    if parser is None:
        raise ValidationFailed(f"неизвестный канал {channel!r}")
    return parser(raw)


def _update_id(channel: str, raw: Mapping[str, Any], event: InboundEvent | None) -> str | None:
    if event is not None and event.update_id:
        return event.update_id
    if channel == "telegram" and raw.get("update_id") is not None:
        return str(raw["update_id"])
    return None  # an update we ignore and cannot recognise again: nothing to store


def receive_update(channel: str, raw: Mapping[str, Any]) -> bool:
    """Store an update unless it came before; queue its handling.  True when new.  Commits."""
    if not isinstance(raw, Mapping):
        raise ValidationFailed("обновление должно быть JSON-объектом")
    event = _parse(channel, raw)
    update_id = _update_id(channel, raw, event)
    if update_id is None:
        return False
    values: dict[str, Any] = {"channel": channel, "update_id": update_id[:200], "payload": dict(raw),
                              "received_at": clock.now()}
    if event is None:
        values.update(handled_at=clock.now(), outcome="ignored")
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(InboundUpdate).values(**values)
            .on_conflict_do_nothing(index_elements=["channel", "update_id"]).returning(InboundUpdate.id))
    stored_id = db.session.execute(stmt).scalar()
    if stored_id is not None and event is not None:
        handle = services().tasks["handle_inbound"]
        after_commit(db.session, lambda: handle(stored_id))
    db.session.commit()
    return stored_id is not None


def route(event: InboundEvent) -> tuple[Callable[..., Any] | None, str]:
    """The handler for an event and the argument it gets."""
    handlers = inbound_handlers()
    if event.kind == "callback":
        prefix, _, argument = (event.payload or "").partition(":")
        return handlers.get(prefix), argument
    return handlers.get(f"@{event.kind}"), event.payload or event.text or ""


def handle_update(update_pk: int) -> str | None:
    """Run the handler of a stored update once; returns the answer for the user.  Commits."""
    taken: Any = db.session.execute(
        update(InboundUpdate).where(InboundUpdate.id == update_pk, InboundUpdate.handled_at.is_(None))
        .values(attempts=InboundUpdate.attempts + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # handled already (a redelivered task), or unknown
        db.session.rollback()
        return None
    row = db.session.get(InboundUpdate, update_pk)
    assert row is not None
    event = _parse(row.channel, row.payload)
    answer: str | None = None
    handler, argument = route(event) if event else (None, "")
    if handler is not None and event is not None:
        answer = handler(event, argument)
    row.handled_at = clock.now()
    row.outcome = "handled" if handler else "no handler"
    db.session.commit()
    if event is not None and event.kind == "callback" and event.callback_id:
        answer_callback(event, answer)
    return answer
