"""The asyncio boundary for async client libraries (python-telegram-bot) used from sync code.

Each calling thread gets its own event loop and its own long-lived resource (a ``telegram.Bot``),
created and initialised once on first use.  HTTP connection pools are bound to the loop that
created them, so sharing one resource across threads would break; one per thread keeps every call
a plain ``loop.run_until_complete`` with no cross-thread hand-off.

Calling ``run`` from a thread that already runs an event loop is not supported: async callers
should go through ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Slot(Generic[T]):
    loop: asyncio.AbstractEventLoop
    resource: T
    generation: int


class PerThreadLoop(Generic[T]):
    """One event loop and one ``T`` per thread; ``close`` releases them all."""

    def __init__(
        self,
        open_resource: Callable[[], Awaitable[T]],
        close_resource: Callable[[T], Awaitable[None]],
    ) -> None:
        self._open = open_resource
        self._close = close_resource
        self._local = threading.local()
        self._lock = threading.Lock()
        self._slots: dict[int, _Slot[T]] = {}
        self._generation = 0

    @property
    def open_count(self) -> int:
        """How many threads currently hold a loop and a resource."""
        with self._lock:
            return len(self._slots)

    def run(self, call: Callable[[T], Awaitable[R]]) -> R:
        """Run ``call(resource)`` to completion on this thread's loop."""
        slot = self._slot()
        return slot.loop.run_until_complete(call(slot.resource))

    def close(self) -> None:
        """Shut every thread's resource and loop; sends must not be in flight.  Reusable afterwards."""
        with self._lock:
            slots = list(self._slots.values())
            self._slots.clear()
            self._generation += 1
        for slot in slots:
            self._dispose(slot)

    def _slot(self) -> _Slot[T]:
        slot: _Slot[T] | None = getattr(self._local, "slot", None)
        if slot is not None and slot.generation == self._generation and not slot.loop.is_closed():
            return slot
        loop = asyncio.new_event_loop()
        try:
            resource = loop.run_until_complete(self._open())
        except BaseException:
            loop.close()
            raise
        slot = _Slot(loop, resource, self._generation)
        self._local.slot = slot
        self._register(threading.get_ident(), slot)
        return slot

    def _register(self, ident: int, slot: _Slot[T]) -> None:
        with self._lock:
            alive = {thread.ident for thread in threading.enumerate()}
            dead = [key for key in self._slots if key not in alive]
            stale = [self._slots.pop(key) for key in dead]
            previous = self._slots.pop(ident, None)  # a dead thread whose ident was reused
            if previous is not None:
                stale.append(previous)
            self._slots[ident] = slot
        # Threads that ended left their loop idle: close them here so a thread pool that
        # replaces workers does not leak a loop and a connection pool per dead thread.
        for old in stale:
            self._dispose(old)

    def _dispose(self, slot: _Slot[T]) -> None:
        if slot.loop.is_closed() or slot.loop.is_running():
            return
        try:
            # Shutting down: a failing close (server gone) must not stop the other slots closing.
            with contextlib.suppress(Exception):
                slot.loop.run_until_complete(self._close(slot.resource))
        finally:
            slot.loop.close()
