"""Long polling (Telegram getUpdates, MAX GET /updates) with the position saved in the database.

Each update is stored before the saved position moves past it, so a crash in between only
redelivers updates that are then recognised and dropped.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app

from connectors import DeliveryError, RetryAfter
from connectors.inbound import MaxPoller, TelegramPoller
from workflows import clock
from workflows.db import db
from workflows.delivery.inbound import receive_update
from workflows.delivery.models import PollCursor

log = logging.getLogger(__name__)
CHANNELS = ("telegram", "max")


def saved_cursor(channel: str) -> int | None:
    row = db.session.get(PollCursor, channel)
    return row.cursor if row else None


def save_cursor(channel: str, cursor: int | None) -> None:
    row = db.session.get(PollCursor, channel) or PollCursor(channel=channel)
    row.cursor = cursor
    row.updated_at = clock.now()
    db.session.add(row)
    db.session.commit()


def make_poller(channel: str, poll_timeout: int) -> Any:
    if channel == "telegram":
        return TelegramPoller.from_settings(current_app.config, poll_timeout=poll_timeout)
    if channel == "max":
        return MaxPoller.from_settings(current_app.config, poll_timeout=poll_timeout)
    raise ValueError(f"long polling is for {', '.join(CHANNELS)}, not {channel!r}")


def poll_once(channel: str, poller: Any) -> int:
    """Fetch one batch, store every update, save the new position; returns how many arrived."""
    cursor = saved_cursor(channel)
    db.session.rollback()  # no transaction (on SQLite: no write lock) while the long poll waits
    if channel == "telegram":
        updates = poller.fetch(cursor)
        next_cursor = max((int(u["update_id"]) for u in updates), default=None)
        next_cursor = cursor if next_cursor is None else next_cursor + 1
    else:
        answer = poller.fetch(cursor)
        updates, next_cursor = answer.updates, answer.marker
    for raw in updates:
        receive_update(channel, raw)
    if next_cursor != cursor:
        save_cursor(channel, next_cursor)
    return len(updates)


def poll(channel: str, once: bool = False, poll_timeout: int = 25) -> int:
    """Poll until interrupted (or one batch with `once`); returns how many updates arrived."""
    poller = make_poller(channel, 0 if once else poll_timeout)
    received, failures = 0, 0
    try:
        while True:
            try:
                received += poll_once(channel, poller)
                failures = 0
            except RetryAfter as error:
                time.sleep(error.seconds)
            except DeliveryError as error:
                failures += 1
                log.warning("polling %s failed: %s", channel, error.reason)
                if once:
                    raise
                time.sleep(min(60.0, 2.0 ** failures))
            if once:
                return received
    finally:
        poller.close()
