"""Sliding-window limits as the real APIs apply them (N events per window per key)."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Sequence


class SlidingWindows:
    """``acquire`` either records one event under every (key, limit, window) or says how long to wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)

    def acquire(self, rules: Sequence[tuple[str, int, float]]) -> int | None:
        """None when allowed (and recorded); else whole seconds until the fullest window frees up."""
        now = time.monotonic()
        with self._lock:
            wait = 0.0
            for key, limit, window in rules:
                events = self._events[key]
                while events and now - events[0] >= window:
                    events.popleft()
                if len(events) >= limit:
                    wait = max(wait, events[len(events) - limit] + window - now)
            if wait > 0:
                return max(1, math.ceil(wait))
            for key, _limit, _window in rules:
                self._events[key].append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._events.clear()
