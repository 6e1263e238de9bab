"""Results of pure checks remembered by the bytes they read (and the limits that applied).

Validating and building a diagram depends only on its bytes and the timer-cycle limits, so the same file
deployed again — the bundled diagrams at every `demo load`, a designer's plan then deploy, every test city —
is checked once per process. A small LRU: entries are small (a DiagramInfo, a spec bundle's JSON).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from engine.isotime import cycle_limits

T = TypeVar("T")


def digest(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


class ContentMemo(Generic[T]):
    """`get(key, make)`: the value made for `key` (content digests plus the cycle limits) before, or made now.
    A `make` that raises remembers nothing."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._size = size

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        full = (key, cycle_limits())
        if full in self._items:
            self._items.move_to_end(full)
            return self._items[full]
        value = make()
        self._items[full] = value
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()
