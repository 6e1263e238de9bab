"""Rate limits shared by every worker process: a reservation limiter (GCRA without bursts).

Each key keeps the theoretical arrival time (TAT) of its next send.  A caller reserves the slot
`max(now, TAT)` and sleeps until it, so sends leave evenly spaced and the messenger never sees more
than the configured rate: a send waits for its turn instead of provoking a 429.  Two keys per
message: the channel's overall key, and the chat's own key (Telegram 1/s or 20/min, MAX 2/s, VK only
for flood-control pauses; figures in data/chat_limits.json).  A busy chat key or a long
wait is not reserved at all: the caller defers that message and frees the worker.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from workflows.delivery.settings import channel_rate

CHAT_LIMITS_FILE = Path(__file__).resolve().parent / "data" / "chat_limits.json"
_MAX_ADDRESS = re.compile(r"(?:(chat|user):)?(-?\d+)")


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


@cache
def chat_limits() -> dict[str, dict[str, float]]:
    """Seconds between two messages into one chat: {channel: {"private": s, "group": s}} (data file)."""
    data = json.loads(CHAT_LIMITS_FILE.read_text(encoding="utf-8"))
    return {channel: {kind: float(value) for kind, value in kinds.items()}
            for channel, kinds in data.items() if not channel.startswith("_")}


def chat_key(channel: str, address: str) -> tuple[str, bool] | None:
    """The chat an address names on its channel, and whether it is a private chat; None: no chat limit."""
    chat = address.strip()
    if channel == "telegram":
        return chat, chat.isdigit()  # groups and supergroups have negative ids, channels "@name"
    if channel == "max":
        match = _MAX_ADDRESS.fullmatch(chat)
        if match is None:
            return None
        kind, number = match.groups()
        return (f"chat:{number}", False) if kind == "chat" else (f"user:{number}", True)
    if channel == "vk":
        return chat, not chat.startswith("2000000")  # community chats are 2000000000 + n
    return None


def own_rule(channel: str, address: str) -> Rule | None:
    """The recipient's own rule on channels that limit one chat (Telegram, MAX) or may pause one (VK)."""
    limits = chat_limits().get(channel)
    found = chat_key(channel, address) if limits else None
    if limits is None or found is None:
        return None
    chat, private = found
    return Rule(f"{channel}:chat:{chat}", limits["private" if private else "group"])


def rules_for(config: Mapping[str, Any], channel: str, address: str) -> tuple[Rule, Rule | None]:
    """The channel's overall rule, and the recipient's own rule where the channel has one."""
    return Rule(f"channel:{channel}", 1.0 / channel_rate(config, channel)), own_rule(channel, address)
