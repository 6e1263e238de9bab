"""One channel's sender in a worker process: an asyncio loop pacing its lanes at the channel's rate.

Each lane (see `lanes`) is a coroutine that claims its due rows in batches, reserves one rate slot at a
time, sleeps until it and hands the send to a small pool of sending threads (the connectors' clients
are per thread), so several requests are in flight at once and the achieved rate is the configured
one whatever the latency or the worker's thread count.  The outbox stays the truth: rows are claimed
under a lease, each is marked sent in its own commit right after the messenger answers, rows not
sent when the sender stops go back at once, and a crash leaves leases that the sweep takes back.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask

from workflows import clock
from workflows.db import db
from workflows.delivery import sending
from workflows.delivery.claims import Claimed
from workflows.delivery.connections import connector_for, limiter, warm_up
from workflows.delivery.lanes import LANES, claim_batch, release
from workflows.delivery.quiet import quiet_until
from workflows.delivery.ratelimit import Reservation, Rule, rules_for
from workflows.delivery.settings import channel_rate, delivery_settings

log = logging.getLogger(__name__)
T = TypeVar("T")
IDLE_POLL = 5.0  # seconds an idle lane waits for a wake-up (a queued task) before looking at the outbox itself
ERROR_PAUSE = 1.0
AHEAD = 4  # slots a lane holds ahead of time: hides the limiter's latency, delays other lanes by at most this
# A send that starts this late still uses its slot: slots are spaced 1/rate apart, so lateness up to T adds at
# most T x rate sends to any one-second window (0.05 s: 25/s becomes at most 27 in a second, 28/s at most 30,
# Telegram's limit).  Later than that it takes a new slot.
LATE_TOLERANCE = 0.05
CHAT_LATE_TOLERANCE = 0.005  # a chat's own limit (1/s on Telegram) has no headroom: later sends push its next turn
_context = threading.local()


@dataclass
class _Item:
    claimed: Claimed
    taken: float  # time.monotonic() when claimed


def in_flight_for(rate: float) -> int:
    """Sending threads for a channel: enough for half a second of sends at its rate (2..16)."""
    return max(2, min(16, math.ceil(rate / 2)))


class ChannelSender:
    def __init__(self, app: Flask, channel: str) -> None:
        self.app, self.channel = app, channel
        self.settings = delivery_settings(app.config)
        self.rate = channel_rate(app.config, channel)
        self.batch = max(1, min(50, math.ceil(self.rate / 2)))
        self.in_flight = in_flight_for(self.rate)
        self._db = ThreadPoolExecutor(1, f"{channel}-db", initializer=self._enter_app)
        self._limits = ThreadPoolExecutor(1, f"{channel}-limits", initializer=self._enter_app)
        self._sends = ThreadPoolExecutor(self.in_flight, f"{channel}-send", initializer=self._enter_sending)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakes: dict[str, asyncio.Event] = {}
        self._stopping = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sender-{channel}", daemon=True)
        self.sent_futures: set[Future[Any]] = set()

    # --- threads -----------------------------------------------------------------------------------
    def _enter_app(self) -> None:
        _context.app = self.app.app_context()
        _context.app.push()

    def _enter_sending(self) -> None:
        self._enter_app()
        warm_up(connector_for(self.channel))  # this thread's bot is connected before its first slot

    async def _call(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        def guarded() -> T:
            try:
                return fn(*args)
            except BaseException:
                db.session.rollback()
                raise
        return await asyncio.get_running_loop().run_in_executor(pool, guarded)

    # --- life cycle --------------------------------------------------------------------------------
    def start(self) -> None:
        for _ in range(self.in_flight):  # open every sending thread (and its bot) now, not on the first notice
            self._sends.submit(lambda: None)
        self._thread.start()
        self._ready.wait(10)

    def wake(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake_all)

    def _wake_all(self) -> None:
        for event in self._wakes.values():
            event.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop claiming, send nothing more, give back unsent rows and wait for the sends in flight."""
        self._stopping = True
        self.wake()
        self._thread.join(timeout)
        self._sends.shutdown(wait=True)
        self._db.shutdown(wait=True)
        self._limits.shutdown(wait=True)

    def _run(self) -> None:
        with self.app.app_context():  # the loop reads the app's clock (quiet hours)
            asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wakes = {lane: asyncio.Event() for lane in LANES}
        self._slots = asyncio.Semaphore(self.in_flight)
        self._ahead = {lane: asyncio.Semaphore(AHEAD) for lane in LANES}
        self._timers: set[asyncio.Future[None]] = set()
        self._ready.set()
        await asyncio.gather(*(self._lane(lane) for lane in LANES))
        while self._timers or self.sent_futures:
            await asyncio.sleep(0.05)

    # --- one lane ----------------------------------------------------------------------------------
    async def _lane(self, lane: str) -> None:
        waiting: deque[_Item] = deque()
        fetch: asyncio.Future[list[Claimed]] | None = None
        wake = self._wakes[lane]
        drained = False  # the last claim found fewer rows than asked: wait for these or a wake-up
        try:
            while not self._stopping:
                if fetch is None and len(waiting) <= self.batch // 2 and (not waiting or not drained or wake.is_set()):
                    wake.clear()  # a wake-up from now on means: look again
                    wanted = self.batch - len(waiting)
                    fetch = asyncio.ensure_future(self._call(
                        self._db, claim_batch, self.channel, lane, wanted, self.settings.lease_seconds))
                if fetch is not None and (fetch.done() or not waiting):
                    claimed = await self._fetched(fetch)
                    fetch = None
                    drained = len(claimed) < wanted
                    waiting.extend(_Item(row, time.monotonic()) for row in claimed)
                    if not waiting:
                        await self._idle(wake)
                    continue
                await self._process(lane, waiting.popleft())
        finally:
            if fetch is not None:
                waiting.extend(_Item(row, 0.0) for row in await self._fetched(fetch))
            for item in waiting:
                await self._call(self._db, release, item.claimed)

    async def _fetched(self, fetch: asyncio.Future[list[Claimed]]) -> list[Claimed]:
        try:
            return await fetch
        except Exception:  # noqa: BLE001 - the database was busy or gone: look again shortly
            log.exception("%s sender: claiming rows failed", self.channel)
            await asyncio.sleep(ERROR_PAUSE)
            return []

    async def _idle(self, wake: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), IDLE_POLL)

    async def _process(self, lane: str, item: _Item) -> None:
        """Reserve the row's slot and leave the wait to a timer: the next reservation overlaps it."""
        claimed = item.claimed
        try:
            if time.monotonic() - item.taken > self.settings.lease_seconds / 2:
                await self._call(self._db, release, claimed)  # too close to its lease's end to start now
                return
            if not claimed.urgent and quiet_until(clock.now(), self.settings) is not None:
                await self._call(self._db, sending.defer_if_quiet, claimed, self.settings)
                return
            shared, own = rules_for(self.app.config, self.channel, claimed.address)
            await self._ahead[lane].acquire()
            await self._slots.acquire()
            reservation = await self._call(self._limits, _reserve, shared, own, self.settings.max_rate_wait)
            if not reservation.granted:
                self._slots.release()
                self._ahead[lane].release()
                await self._call(self._db, sending.hold_for_slot, claimed, reservation, self.settings)
                return
        except Exception:  # noqa: BLE001 - the row keeps its lease; the sweep takes it back
            log.exception("%s sender: outbox %s not sent", self.channel, claimed.id)
            return
        timer = asyncio.ensure_future(self._at_slot(lane, claimed, reservation, shared, own))
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)

    async def _at_slot(self, lane: str, claimed: Claimed, reservation: Reservation, shared: Rule,
                       own: Rule | None) -> None:
        """Sleep until the slot and send; a slot woken well after its time is taken again (as in
        `sending.wait_for_slot`): late sends bunch with punctual ones and provoke 429s."""
        sent = False
        try:
            slot = time.monotonic() + reservation.wait
            for _ in range(sending.MAX_LATE_RETRIES):
                slot = time.monotonic() + reservation.wait
                await asyncio.sleep(reservation.wait)
                if time.monotonic() - slot <= LATE_TOLERANCE:
                    break
                reservation = await self._call(self._limits, _reserve, shared, None, self.settings.max_rate_wait)
                if not reservation.granted:
                    await self._call(self._db, sending.hold_for_slot, claimed, reservation, self.settings)
                    return
            self._send(claimed, shared, own, slot)
            sent = True
        except Exception:  # noqa: BLE001 - the row keeps its lease; the sweep takes it back
            log.exception("%s sender: outbox %s not sent", self.channel, claimed.id)
        finally:
            self._ahead[lane].release()
            if not sent:
                self._slots.release()

    def _send(self, claimed: Claimed, shared: Rule, own: Rule | None, slot: float) -> None:
        future = self._sends.submit(self._send_now, claimed, shared, own, slot)
        self.sent_futures.add(future)
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda done: loop.call_soon_threadsafe(self._sent, done))

    def _sent(self, future: Future[Any]) -> None:
        self.sent_futures.discard(future)
        self._slots.release()

    def _send_now(self, claimed: Claimed, shared: Rule, own: Rule | None, slot: float) -> str:
        """In a sending thread.  A thread that starts well after the slot (the machine stalled the process,
        and every send due meanwhile starts at once) takes a new slot rather than join a burst.  A late send
        moves the chat's next turn on by as much: the chat's limit counts from when we actually sent."""
        try:
            late = time.monotonic() - slot
            if late > LATE_TOLERANCE:
                reservation = sending.wait_for_slot(shared, None, self.settings.max_rate_wait)
                if not reservation.granted:
                    return sending.hold_for_slot(claimed, reservation, self.settings)
            outcome = sending.send_claimed(connector_for(self.channel), claimed, self.settings, shared.key,
                                           own.key if own else None)
            if own is not None and own.interval > 0 and late > CHAT_LATE_TOLERANCE:
                limiter().pause(own.key, own.interval)
            return outcome
        except Exception:  # noqa: BLE001 - recorded nowhere: the lease runs out and the sweep retries
            db.session.rollback()
            log.exception("%s sender: outbox %s failed unexpectedly", self.channel, claimed.id)
            return "error"


def _reserve(shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
    return limiter().reserve(shared, own, max_wait)
