"""Correlating an incoming message to the one instance waiting for it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine import ProcessRun
from workflows import clock
from workflows.db import db
from workflows.runtime.instances import commit, lock_instance, record_event, run_step
from workflows.runtime.models import MessageWait
from workflows.runtime.sync import correlation_key


def correlate_message(name: str, correlation: dict[str, Any], payload: dict[str, Any],
                      actor_id: int | None = None, autocommit: bool = True) -> list[int]:
    """Deliver a message to instances subscribed with exactly this name and correlation.

    Returns the ids of instances that caught it (none when nobody waits for that key).
    """
    key = correlation_key(correlation)
    waits = db.session.scalars(select(MessageWait).where(
        MessageWait.message_name == name, MessageWait.correlation_key == key)).all()
    caught: list[int] = []
    for instance_id in dict.fromkeys(w.instance_id for w in waits):
        instance = lock_instance(instance_id)
        delivered: list[bool] = []

        def deliver(run: ProcessRun, into: list[bool] = delivered) -> None:
            into.append(run.send_message(name, payload, clock.now()))

        run_step(instance, deliver)
        if delivered and delivered[0]:
            record_event(instance.id, "message_received", actor_id, name, data=payload)
            caught.append(instance_id)
    if autocommit:
        commit()
    return caught
