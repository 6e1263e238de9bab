"""The delivery's huey tasks: each takes ids and calls one service function in an app context."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from huey import Huey, crontab

from workflows.delivery import dispatch, inbound, senders, sending, sweep

_started = threading.Lock()
_startup_done: set[int] = set()


def _deliver(outbox_id: int) -> str:
    """Wake this process's sender for the row's channel; send the row here when there is none."""
    if senders.running() and not senders.wake_for([outbox_id]):
        return "woken"
    return sending.deliver(outbox_id)


def _fan_out(ids: list[int]) -> int:
    """Wake the senders (they claim the rows in batches); queue one task per row only without them."""
    return dispatch.fan_out(senders.wake_for(ids))


def _startup_sweep() -> int:
    return sweep.sweep_outbox(startup=True)


def register_delivery_tasks(huey: Huey, in_app: Callable[[Callable[..., Any]], Callable[..., Any]]) -> dict[str, Any]:
    """Define the tasks on `huey`; a worker queues one startup sweep when it starts."""
    tasks: dict[str, Any] = {
        # No huey retries: the outbox row itself records attempts, and a sweep recovers crashes.
        "deliver_outbox": huey.task(name="deliver_outbox")(in_app(_deliver)),
        "fan_out_outbox": huey.task(name="fan_out_outbox")(in_app(_fan_out)),
        "handle_inbound": huey.task(name="handle_inbound", retries=3, retry_delay=10)(in_app(inbound.handle_update)),
        "sweep_outbox": huey.periodic_task(crontab(minute="*"), name="sweep_outbox")(in_app(sweep.sweep_outbox)),
        "sweep_outbox_at_start": huey.task(name="sweep_outbox_at_start")(in_app(_startup_sweep)),
    }

    def queue_startup_sweep() -> None:
        # Startup hooks run in every worker thread; one sweep per huey instance is enough.
        with _started:
            if id(huey) in _startup_done:
                return
            _startup_done.add(id(huey))
        tasks["sweep_outbox_at_start"]()

    huey.on_startup(name="otklik_outbox_startup_sweep")(queue_startup_sweep)
    return tasks
