"""What a send attempt leads to: sent, deferred, retried, failed over to a fallback, or failed.

Every function changes the claimed row only while the worker still holds it, commits, and queues
the follow-up attempt after the commit.
"""
from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from connectors import DeliveryError, MessageRejected, PermanentFailure, RetryAfter, SendResult
from workflows import clock
from workflows.db import after_commit, db
from workflows.delivery.claims import Claimed, update_claimed
from workflows.delivery.dispatch import dispatch_later
from workflows.delivery.models import FAILED, NOT_CONFIGURED, PARKED, PENDING, SENT
from workflows.delivery.settings import DeliverySettings
from workflows.delivery.unreachable import mark_unreachable

log = logging.getLogger(__name__)


def _commit_then(delivered: bool, outbox_id: int, delay: float | None) -> None:
    if delivered and delay is not None:
        after_commit(db.session, lambda: dispatch_later(outbox_id, delay))
    db.session.commit()


def mark_sent(claimed: Claimed, result: SendResult) -> bool:
    now = clock.now()
    values: dict[str, object] = {"state": SENT, "sent_at": now, "message_id": result.message_id,
                                 "attempts": claimed.attempts + 1, "last_error": None}
    if result.new_address:  # the Telegram group moved: later notices go to the new chat
        values["address"] = result.new_address
    owned = update_claimed(claimed, **values)
    db.session.commit()
    if not owned:
        log.warning("outbox %s was sent after its lease was taken over", claimed.id)
    return owned


def defer(claimed: Claimed, due: datetime, note: str) -> None:
    """Give the row back without an attempt (quiet hours, the chat's rate slot is taken)."""
    delay = max(0.0, (due - clock.now()).total_seconds())
    owned = update_claimed(claimed, state=PENDING, next_attempt_at=due, dispatched_at=due, last_error=note)
    _commit_then(owned, claimed.id, delay)


def park(claimed: Claimed) -> None:
    """Its channel is not configured: keep the row, attempts untouched, until the channel is set up."""
    update_claimed(claimed, state=PARKED, last_error=NOT_CONFIGURED)
    db.session.commit()


def backoff_seconds(attempts: int, settings: DeliverySettings) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random."""
    ceiling = min(settings.backoff_cap, settings.backoff_base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry(claimed: Claimed, error: DeliveryError, settings: DeliverySettings, delay: float | None = None) -> None:
    """Try again later: after `delay`, exactly when told (RetryAfter), else after a jittered backoff."""
    attempts = claimed.attempts + 1
    if delay is None and isinstance(error, RetryAfter):
        delay = error.seconds
    if delay is None:
        if attempts >= settings.max_attempts:
            fail(claimed, error, attempts)
            return
        delay = backoff_seconds(attempts, settings)
    due = clock.now() + timedelta(seconds=delay)
    values: dict[str, object] = {"state": PENDING, "attempts": attempts, "next_attempt_at": due,
                                 "dispatched_at": due, "last_error": error.reason[:1000]}
    if error.new_address:
        values["address"] = error.new_address
    owned = update_claimed(claimed, **values)
    _commit_then(owned, claimed.id, delay)


def fail(claimed: Claimed, error: DeliveryError, attempts: int | None = None) -> None:
    """Retrying will not help: mark a dead address, then try the next fallback or give up."""
    if isinstance(error, PermanentFailure) and not isinstance(error, MessageRejected):
        mark_unreachable(claimed, error.reason)
    reason = f"{claimed.channel} {claimed.address}: {error.reason}"[:1000]
    if claimed.fallbacks:
        (channel, address), rest = claimed.fallbacks[0], claimed.fallbacks[1:]
        now = clock.now()
        owned = update_claimed(claimed, state=PENDING, channel=channel, address=address,
                               fallbacks=[list(pair) for pair in rest], attempts=0, next_attempt_at=now,
                               dispatched_at=now, last_error=reason)
        _commit_then(owned, claimed.id, 0.0)
        return
    update_claimed(claimed, state=FAILED, attempts=attempts or claimed.attempts + 1, last_error=reason)
    db.session.commit()
