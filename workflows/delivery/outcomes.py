"""What a send attempt leads to: sent, deferred, retried, failed over to a fallback, or failed.

Every function changes the claimed row only while the worker still holds it, commits, and queues
the follow-up attempt after the commit.
"""
from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from connectors import ChatMigrated, DeliveryError, MessageRejected, PermanentFailure, RetryAfter, SendResult
from workflows import clock
from workflows.db import after_commit, db
from workflows.delivery import budget
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


def defer(claimed: Claimed, due: datetime, note: str, restart_budget: bool = False) -> None:
    """Give the row back without an attempt (quiet hours, the chat's rate slot is taken).

    Quiet hours restart the row's time budget (a night is not time the channel failed us).
    """
    delay = max(0.0, (due - clock.now()).total_seconds())
    extra: dict[str, object] = {"first_attempt_at": None} if restart_budget else {}
    owned = update_claimed(claimed, state=PENDING, next_attempt_at=due, dispatched_at=due, last_error=note, **extra)
    _commit_then(owned, claimed.id, delay)


def park(claimed: Claimed) -> None:
    """Its channel is not configured: keep the row, attempts untouched, until the channel is set up."""
    update_claimed(claimed, state=PARKED, last_error=NOT_CONFIGURED)
    db.session.commit()


def hold(claimed: Claimed, wait: float, settings: DeliverySettings, note: str) -> bool:
    """The channel (or the chat) is paused: wait without an attempt, but on the row's time budget.

    A channel that keeps saying "wait" (VK's daily quota, a long Telegram flood wait) must not hold the
    other rows for ever either: once the wait would pass the budget the row fails over.  False then.
    """
    now = clock.now()
    exhausted = budget.spent(claimed.attempts, claimed.first_attempt_at, now, wait, settings)
    if exhausted is not None and claimed.first_attempt_at is not None:
        fail(claimed, RetryAfter(wait, note), claimed.attempts, exhausted=exhausted)
        return False
    due = now + timedelta(seconds=wait)
    owned = update_claimed(claimed, state=PENDING, next_attempt_at=due, dispatched_at=due, last_error=note,
                           first_attempt_at=claimed.first_attempt_at or now)
    _commit_then(owned, claimed.id, wait)
    return True


def backoff_seconds(attempts: int, settings: DeliverySettings) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random."""
    ceiling = min(settings.backoff_cap, settings.backoff_base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry(claimed: Claimed, error: DeliveryError, settings: DeliverySettings, delay: float | None = None) -> None:
    """Try again later: after `delay`, exactly when told (RetryAfter), else after a jittered backoff.

    Every retry spends the row's budget (see `budget`); once it is spent the row fails over.
    """
    attempts = claimed.attempts + 1
    if delay is None and isinstance(error, RetryAfter):
        delay = error.seconds
    if delay is None:
        delay = backoff_seconds(attempts, settings)
    now = clock.now()
    if not isinstance(error, ChatMigrated):  # following a moved chat is not a failed try
        exhausted = budget.spent(attempts, claimed.first_attempt_at, now, delay, settings)
        if exhausted is not None:
            fail(claimed, error, attempts, exhausted=exhausted)
            return
    due = now + timedelta(seconds=delay)
    values: dict[str, object] = {"state": PENDING, "attempts": attempts, "next_attempt_at": due,
                                 "dispatched_at": due, "last_error": error.reason[:1000],
                                 "first_attempt_at": claimed.first_attempt_at or now}
    if error.new_address:
        values["address"] = error.new_address
    owned = update_claimed(claimed, **values)
    _commit_then(owned, claimed.id, delay)


def fail(claimed: Claimed, error: DeliveryError, attempts: int | None = None,
         exhausted: budget.Spent | None = None) -> None:
    """Retrying will not help (or the budget is spent): mark a dead address, then the next fallback or give up."""
    if isinstance(error, PermanentFailure) and not isinstance(error, MessageRejected):
        mark_unreachable(claimed, error.reason)
    reason = f"{claimed.channel} {claimed.address}: {error.reason}"[:1000]
    if exhausted is not None:
        budget.record_exhausted(claimed, error, exhausted, claimed.fallbacks[0][0] if claimed.fallbacks else None)
    if claimed.fallbacks:
        (channel, address), rest = claimed.fallbacks[0], claimed.fallbacks[1:]
        now = clock.now()
        owned = update_claimed(claimed, state=PENDING, channel=channel, address=address,
                               fallbacks=[list(pair) for pair in rest], attempts=0, next_attempt_at=now,
                               dispatched_at=now, last_error=reason, first_attempt_at=None)
        _commit_then(owned, claimed.id, 0.0)
        return
    update_claimed(claimed, state=FAILED, attempts=attempts or claimed.attempts + 1, last_error=reason)
    db.session.commit()
