"""Handing outbox rows to the queue: one `deliver_outbox` task per row, now or after a delay.

Large batches go out as `fan_out_outbox` tasks of many ids, so the committing request does not
wait for thousands of queue writes: a worker enqueues the per-row tasks instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from workflows.db import after_commit
from workflows.services import services

DIRECT_LIMIT = 32
FAN_OUT_CHUNK = 500
BATCH_KEY = "otklik.delivery.batch"


def _tasks() -> Mapping[str, Any]:
    return services().tasks


def dispatch_now(ids: Sequence[int]) -> None:
    """The first rows go straight to the queue (the first message leaves at once), the rest in chunks."""
    tasks = _tasks()
    for outbox_id in ids[:DIRECT_LIMIT]:
        tasks["deliver_outbox"](outbox_id)
    for start in range(DIRECT_LIMIT, len(ids), FAN_OUT_CHUNK):
        tasks["fan_out_outbox"](list(ids[start:start + FAN_OUT_CHUNK]))


def interleave(by_channel: dict[str, list[int]]) -> list[int]:
    """Round-robin over channels, so one channel's long notice does not hold up another's."""
    queues = [list(reversed(ids)) for ids in by_channel.values()]
    order: list[int] = []
    while queues:
        order.extend(queue.pop() for queue in queues)
        queues = [queue for queue in queues if queue]
    return order


def dispatch_later(outbox_id: int, delay: float) -> None:
    if delay <= 0:
        _tasks()["deliver_outbox"](outbox_id)
    else:
        _tasks()["deliver_outbox"].schedule(args=(outbox_id,), delay=delay)


def fan_out(ids: Iterable[int]) -> int:
    """Enqueue one delivery task per id (runs in a worker); returns how many."""
    task = _tasks()["deliver_outbox"]
    count = 0
    for outbox_id in ids:
        task(outbox_id)
        count += 1
    return count


class _Batch:
    """Rows written in one transaction, handed to the queue once it commits."""

    def __init__(self) -> None:
        self.now: dict[str, list[int]] = {}
        self.later: list[tuple[int, float]] = []

    def __call__(self) -> None:
        if self.now:
            dispatch_now(interleave(self.now))
        for outbox_id, delay in self.later:
            dispatch_later(outbox_id, delay)


def after_commit_dispatch(session: Session, outbox_id: int, channel: str, delay: float) -> None:
    """Queue `outbox_id` once the caller's transaction commits (nothing if it rolls back).

    Rows written in the same (innermost) transaction share one batch and one after-commit callback.
    """
    transaction = session.get_nested_transaction() or session.get_transaction()
    owner, batch = session.info.get(BATCH_KEY, (None, None))
    if batch is None or owner is not transaction:
        batch = _Batch()
        session.info[BATCH_KEY] = (transaction, batch)
        after_commit(session, batch)
    if delay > 0:
        batch.later.append((outbox_id, delay))
    else:
        batch.now.setdefault(channel, []).append(outbox_id)
