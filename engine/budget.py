"""What a running script may spend: time (counted inside built-ins too), memory, and result sizes.

The instrumented code calls ``tick()`` in every loop, comprehension and function body; the built-ins
that consume whole iterables (``sum``, ``min``, ``max``, ``sorted``, ``any``, ``all``) are replaced by
versions that tick for every element, so time spent inside them counts. ``binop`` stands in for
``**``, ``*``, ``<<`` and ``%`` and refuses results that would be too large before computing them.

Running out raises ``BudgetExceeded``, a ``BaseException``: a script's ``except Exception`` cannot
swallow it (bare ``except:`` and ``finally`` that leave the block are refused at deploy).
"""
from __future__ import annotations

import builtins
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from engine.errors import ScriptError

MAX_INT_BITS = 64_000  # about 19,000 decimal digits
MAX_ITEMS = 1_000_000  # characters of a string, items of a list or tuple made by repetition
DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024
CHECK_EVERY = 255  # the clock and memory are read every 256 ticks: reading them each step doubles tight loops
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_WIDTH = re.compile(r"\d{5,}")  # a format width or precision of 10,000 and more


class BudgetExceeded(BaseException):  # noqa: N818 - not an error of the script's making to catch
    """Time or memory ran out; turned into ScriptTimeout by the script engine."""


class ResultTooLarge(ScriptError):
    """An operation would make a number or sequence beyond the limits."""


def resident_bytes() -> int:
    """The process's resident memory now (Linux); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _ints(a: Any, b: Any) -> bool:
    return isinstance(a, int) and isinstance(b, int)


def _pow(a: Any, b: Any) -> Any:
    if _ints(a, b) and b > 0 and abs(a) > 1 and a.bit_length() * b > MAX_INT_BITS:
        raise ResultTooLarge(f"результат ** больше {MAX_INT_BITS} бит")
    return a**b


def _mul(a: Any, b: Any) -> Any:
    for seq, times in ((a, b), (b, a)):
        if isinstance(times, int) and isinstance(seq, str | bytes | list | tuple) and len(seq) * times > MAX_ITEMS:
            raise ResultTooLarge(f"повторение длиннее {MAX_ITEMS} элементов")
    if _ints(a, b) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise ResultTooLarge(f"результат * больше {MAX_INT_BITS} бит")
    return a * b


def _lshift(a: Any, b: Any) -> Any:
    if _ints(a, b) and a and b > 0 and a.bit_length() + b > MAX_INT_BITS:
        raise ResultTooLarge(f"результат << больше {MAX_INT_BITS} бит")
    return a << b


def _mod(a: Any, b: Any) -> Any:
    if isinstance(a, str) and _WIDTH.search(a):
        raise ResultTooLarge("ширина в шаблоне % больше 9999")
    return a % b


OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {"pow": _pow, "mul": _mul, "lshift": _lshift, "mod": _mod}


def binop(name: str, a: Any, b: Any) -> Any:
    return OPERATIONS[name](a, b)


class Budget:
    """Time and memory budget of one script run."""

    __slots__ = ("deadline", "count", "limit", "memory_ceiling", "memory_limit")

    def __init__(self, limit: float, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.limit = limit
        self.deadline = time.monotonic() + limit
        self.count = 0
        self.memory_limit = memory_limit
        self.memory_ceiling = -1  # set at the first check: most expressions never reach one

    def tick(self) -> None:
        self.count += 1
        if not self.count & CHECK_EVERY:
            self.check()

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"скрипт превысил лимит времени {self.limit:g} с")
        if self.memory_ceiling < 0:
            start = resident_bytes()
            self.memory_ceiling = start + self.memory_limit if start else 0
        if self.memory_ceiling and resident_bytes() > self.memory_ceiling:
            raise BudgetExceeded(f"скрипт превысил лимит памяти {self.memory_limit // 2**20} МБ")

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item


def ticking_builtins(base: Mapping[str, Any], current: Callable[[], Budget]) -> dict[str, Any]:
    """`base` with the consuming built-ins replaced by versions that tick `current()` for every element.

    Built once per script environment: `current` names the budget of the run in progress.
    """

    def consuming(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and not isinstance(args[0], Mapping):
                args = (current().iterate(args[0]),)
            elif args and real in (builtins.sum, builtins.sorted):
                args = (current().iterate(args[0]), *args[1:])
            return real(*args, **kwargs)

        return call

    table = dict(base)
    for name in ("sum", "min", "max", "sorted", "any", "all"):
        if name in table:
            table[name] = consuming(getattr(builtins, name))
    return table
