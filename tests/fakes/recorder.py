"""What a fake server received: messages (thread-safe) and simple counters."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class FakeButton(NamedTuple):
    text: str
    payload: str


@dataclass(frozen=True)
class RecordedMessage:
    chat: str
    text: str
    buttons: tuple[FakeButton, ...]
    time: float  # time.monotonic() when accepted
    message_id: str
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


class Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[RecordedMessage] = []
        self._counts: Counter[str] = Counter()

    def add(
        self, chat: str, text: str, buttons: tuple[FakeButton, ...], message_id: str, raw: dict[str, Any]
    ) -> None:
        with self._lock:
            self._messages.append(RecordedMessage(chat, text, buttons, time.monotonic(), message_id, raw))

    def count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def counter(self, name: str) -> int:
        with self._lock:
            return self._counts[name]

    def all_messages(self) -> list[RecordedMessage]:
        with self._lock:
            return list(self._messages)

    def messages_to(self, chat: str | int) -> list[RecordedMessage]:
        return [m for m in self.all_messages() if m.chat == str(chat)]

    def max_per_second(self) -> int:
        """The most messages accepted within any 1-second sliding window."""
        times = sorted(m.time for m in self.all_messages())
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()
            self._counts.clear()
