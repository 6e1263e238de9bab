"""The worker process's channel senders: started with the worker, woken by the queue's tasks.

`otklik worker` (and the worker `otklik serve` starts) runs one `ChannelSender` per configured channel.
The huey tasks stay the scheduler and the crash-recovery path: a `deliver_outbox` task (queued after a
commit, scheduled for a retry, or queued again by the sweep) only wakes the row's channel sender in a
process that has one, and sends the row itself elsewhere (tests with an immediate queue, a web process).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import Flask
from sqlalchemy import select

from workflows.db import db
from workflows.delivery.connections import channel_configured
from workflows.delivery.models import OutboxMessage
from workflows.delivery.sender import ChannelSender
from workflows.services import services, services_of

log = logging.getLogger(__name__)


def lanes_enabled(app: Flask) -> bool:
    return str(app.config.get("DELIVERY_LANES", "true")).strip().lower() not in ("0", "false", "no", "off")


def start_senders(app: Flask) -> dict[str, ChannelSender]:
    """Start a sender for every channel this process can send on; returns them by channel."""
    senders: dict[str, ChannelSender] = {}
    with app.app_context():
        channels = [channel for channel in services_of(app).connector_classes if channel_configured(channel)]
    for channel in channels:
        sender = ChannelSender(app, channel)
        sender.start()
        senders[channel] = sender
    services_of(app).senders = senders
    log.info("delivery senders started: %s", ", ".join(f"{c} {s.rate:g}/s" for c, s in senders.items()) or "none")
    return senders


def stop_senders(app: Flask) -> None:
    senders: dict[str, ChannelSender] = services_of(app).senders
    services_of(app).senders = {}
    for sender in senders.values():
        sender.stop()


def running() -> dict[str, ChannelSender]:
    senders: dict[str, ChannelSender] = services().senders
    return senders


def wake_for(ids: Iterable[int]) -> list[int]:
    """Wake the senders of these rows' channels; returns the ids no sender of this process takes."""
    senders = running()
    ids = list(ids)
    if not senders or not ids:
        return ids
    rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.channel).where(OutboxMessage.id.in_(ids))).all()
    db.session.rollback()
    channels = {channel for _, channel in rows}
    for channel in channels & set(senders):
        senders[channel].wake()
    return [outbox_id for outbox_id, channel in rows if channel not in senders]
