"""Sending one outbox row: claim it, respect quiet hours and rate limits, send, record the outcome."""
from __future__ import annotations

import logging
import time

from flask import current_app

from connectors import ChatMigrated, Connector, ConnectorNotConfigured, DeliveryError, PermanentFailure, RetryAfter
from workflows import clock
from workflows.delivery.claims import Claimed, claim
from workflows.delivery.connections import connector_for, limiter, warm_up
from workflows.delivery.outcomes import defer, fail, hold, mark_sent, park, retry
from workflows.delivery.quiet import quiet_until
from workflows.delivery.ratelimit import Reservation, Rule, rules_for
from workflows.delivery.settings import DeliverySettings, delivery_settings

log = logging.getLogger(__name__)
LATE_TOLERANCE = 0.02  # seconds a thread may oversleep its slot and still use it
MAX_LATE_RETRIES = 5


def deliver(outbox_id: int) -> str:
    """Try to send one row; returns what happened: skipped, deferred, sent, retry or failed."""
    settings = delivery_settings(current_app.config)
    claimed = claim(outbox_id, settings.lease_seconds)
    if claimed is None:
        return "skipped"  # sent already, not due yet, or another worker holds it
    if defer_if_quiet(claimed, settings):
        return "deferred"
    try:
        connector = connector_for(claimed.channel)
    except ConnectorNotConfigured:
        park(claimed)
        return "parked"
    warm_up(connector)
    shared, own = rules_for(current_app.config, claimed.channel, claimed.address)
    reservation = wait_for_slot(shared, own, settings.max_rate_wait)
    if not reservation.granted:
        return hold_for_slot(claimed, reservation, settings)
    return send_claimed(connector, claimed, settings, shared.key, own.key if own else None)


def defer_if_quiet(claimed: Claimed, settings: DeliverySettings) -> bool:
    """A non-urgent row that comes due in quiet hours waits for the morning (no attempt spent).  Commits."""
    quiet_end = None if claimed.urgent else quiet_until(clock.now(), settings)
    if quiet_end is None:
        return False
    defer(claimed, quiet_end, "тихие часы: отправим утром", restart_budget=True)
    return True


def hold_for_slot(claimed: Claimed, reservation: Reservation, settings: DeliverySettings) -> str:
    """No rate slot soon enough (the chat's own turn is taken, the channel is paused).  Commits."""
    held = hold(claimed, reservation.wait, settings, "ждём своей очереди по лимиту канала")
    return "deferred" if held else "failed"


def wait_for_slot(shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
    """Reserve a send slot and sleep until it, so sends leave evenly spaced.

    A thread that wakes well after its slot (a busy machine deschedules a whole process, then all its
    sleepers wake at once) takes a new slot instead of sending late: late sends bunch together with
    punctual ones in the messenger's one-second window and provoke the 429 the limiter exists to avoid.
    """
    reservation = limiter().reserve(shared, own, max_wait)
    for _ in range(MAX_LATE_RETRIES):
        if not reservation.granted:
            break
        slot = time.monotonic() + reservation.wait
        time.sleep(reservation.wait)
        if time.monotonic() - slot <= LATE_TOLERANCE:
            break
        reservation = limiter().reserve(shared, None, max_wait)  # the chat's own turn is still ours
    return reservation


def send_claimed(connector: Connector, claimed: Claimed, settings: DeliverySettings, shared_key: str,
                 own_key: str | None = None) -> str:
    """Send a row we hold now (its rate slot has come) and record the outcome.  Commits."""
    try:
        result = connector.send(claimed.message())
    except RetryAfter as error:
        paused = own_key if error.scope == "recipient" and own_key else shared_key
        limiter().pause(paused, error.seconds)  # the whole channel, or the one chat it named
        retry(claimed, error, settings)
        return "retry"
    except ChatMigrated as error:
        retry(claimed, error, settings, delay=0.0)
        return "retry"
    except PermanentFailure as error:
        log.info("outbox %s: permanent failure on %s: %s", claimed.id, claimed.channel, error.reason)
        fail(claimed, error)
        return "failed"
    except DeliveryError as error:
        retry(claimed, error, settings)
        return "retry"
    mark_sent(claimed, result)
    return "sent"
