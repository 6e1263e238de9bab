"""The retry budget of one outbox row: attempts and elapsed time, every kind of wait included.

A row may be tried `max_attempts` times on one channel, and the last retry must be due within
`max_elapsed` seconds of its first attempt on that channel.  A `RetryAfter` counts like any other
failure (a channel that keeps saying "wait" must not hold a notice for ever).  When the budget is
spent the row moves to the recipient's next fallback channel with a fresh budget, or fails, and the
delivery history says which and why.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors import DeliveryError
from workflows.delivery.history import channel_name, record
from workflows.delivery.settings import DeliverySettings


@dataclass(frozen=True)
class Spent:
    """Why the budget is spent: the attempts made and the time since the first one."""

    attempts: int
    elapsed: float  # seconds from the first attempt to when the next one would have been

    def describe(self) -> str:
        return f"{self.attempts} {_attempts_word(self.attempts)} за {_duration(self.elapsed)}"


def spent(attempts: int, first_attempt_at: datetime | None, now: datetime, wait: float,
          settings: DeliverySettings) -> Spent | None:
    """`None` while another try after `wait` seconds is within the budget; else what was spent."""
    started = first_attempt_at or now
    elapsed = (now + timedelta(seconds=wait) - started).total_seconds()
    if attempts >= settings.max_attempts or elapsed > settings.max_elapsed:
        return Spent(attempts, max(0.0, (now - started).total_seconds()))
    return None


def record_exhausted(claimed: object, error: DeliveryError, why: Spent, next_channel: str | None) -> None:
    """The history entry for a row whose budget ran out (the caller moves or fails the row)."""
    channel = str(getattr(claimed, "channel", ""))
    then = (f"отправляем через {channel_name(next_channel)}" if next_channel
            else "других каналов у получателя нет, уведомление не доставлено")
    text = (f"Не удалось доставить через {channel_name(channel)}: {why.describe()} "
            f"(последний ответ: {error.reason[:200]}); {then}.")
    record("failover" if next_channel else "failed", str(getattr(claimed, "recipient_key", "")), text,
           outbox_id=int(getattr(claimed, "id", 0)), notice_key=str(getattr(claimed, "notice_key", "") or ""),
           data={"channel": channel, "next_channel": next_channel, "attempts": why.attempts,
                 "elapsed_seconds": round(why.elapsed), "reason": "budget", "error": error.reason[:500]})


def _attempts_word(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "попытку"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "попытки"
    return "попыток"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} с"
    if minutes < 60:
        return f"{minutes} мин"
    hours, rest = divmod(minutes, 60)
    return f"{hours} ч {rest} мин" if rest else f"{hours} ч"
