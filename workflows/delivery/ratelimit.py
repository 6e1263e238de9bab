"""Rate limits shared by every worker process: a reservation limiter (GCRA without bursts).

Each key keeps the theoretical arrival time (TAT) of its next send.  A caller reserves the slot
`max(now, TAT)` and sleeps until it, so sends leave evenly spaced and the messenger never sees more
than the configured rate: a send waits for its turn instead of provoking a 429.  Two keys per
message: the channel's overall key, and (Telegram) the chat's own key.  A busy chat key or a long
wait is not reserved at all: the caller defers that message and frees the worker.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from workflows.delivery.settings import channel_rate

TELEGRAM_PRIVATE_INTERVAL = 1.0  # 1 message per second to one chat
TELEGRAM_GROUP_INTERVAL = 3.0  # 20 messages per minute to one group


@dataclass(frozen=True)
class Rule:
    key: str
    interval: float  # seconds between two sends under this key


@dataclass(frozen=True)
class Reservation:
    granted: bool
    wait: float  # granted: sleep this long, then send; refused: try again after this long


class Limiter(Protocol):
    def reserve(self, shared: Rule, own: Rule | None, max_wait: float) -> Reservation: ...

    def pause(self, key: str, seconds: float) -> None: ...


def decide(now: float, shared_tat: float, own_tat: float | None, max_wait: float) -> Reservation:
    """The reservation for a send at `now` given the keys' current TATs (pure; both backends use it)."""
    if own_tat is not None and own_tat > now:
        return Reservation(False, own_tat - now)
    slot = max(now, shared_tat)
    if slot - now > max_wait:
        return Reservation(False, slot - now)
    return Reservation(True, slot - now)


def rules_for(config: Mapping[str, Any], channel: str, address: str) -> tuple[Rule, Rule | None]:
    """The channel's overall rule, and the recipient's own rule where the channel has one."""
    shared = Rule(f"channel:{channel}", 1.0 / channel_rate(config, channel))
    if channel != "telegram":
        return shared, None
    chat = address.strip()
    private = chat.isdigit()  # groups and supergroups have negative ids, channels "@name"
    interval = TELEGRAM_PRIVATE_INTERVAL if private else TELEGRAM_GROUP_INTERVAL
    return shared, Rule(f"telegram:chat:{chat}", interval)
