"""Failures a test can order from a fake server: per chat or for everyone, N times or always."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

RATE_LIMIT = "rate_limit"  # 429 (VK: error 6) with retry_after
BLOCKED = "blocked"  # the user blocked the bot (Telegram/MAX 403, VK 901, SMS 207)
NOT_FOUND = "not_found"  # chat not found (Telegram 400, MAX 404, VK 936, SMS 202)
SERVER_ERROR = "server_error"  # 5xx (``status`` picks which; VK without status: error 10)
SLOW = "slow"  # answer normally after ``delay`` seconds
HANG = "hang"  # never answer; the connection is dropped after ``delay`` (default 30 s) or at stop
MIGRATE = "migrate"  # Telegram: the group became a supergroup ``new_chat_id``
UNAUTHORIZED = "unauthorized"  # 401 / bad token
ERROR = "error"  # a channel-specific error ``code`` (VK error_code, SMS status_code, HTTP status)

KINDS = frozenset({RATE_LIMIT, BLOCKED, NOT_FOUND, SERVER_ERROR, SLOW, HANG, MIGRATE, UNAUTHORIZED, ERROR})


@dataclass
class Fault:
    kind: str
    chat: str | None = None  # None: every chat
    times: int | None = None  # None: always
    retry_after: int = 3
    delay: float = 0.0
    status: int | None = None
    code: int | None = None
    new_chat_id: str | None = None
    used: int = field(default=0)


class FaultBook:
    """Thread-safe list of ordered faults; a chat's own faults win over global ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; known: {sorted(KINDS)}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, chat: str | None) -> Fault | None:
        """The fault to apply to a request for ``chat`` (consuming one of its times), or None."""
        with self._lock:
            own = [f for f in self._faults if f.chat is not None and f.chat == chat]
            general = [f for f in self._faults if f.chat is None]
            for fault in own + general:
                fault.used += 1
                if fault.times is not None and fault.used >= fault.times:
                    self._faults.remove(fault)
                return fault
        return None
