"""Translating python-telegram-bot exceptions into the connectors' error classes."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import error as tg

from connectors.base import (
    AuthenticationFailed,
    ChatMigrated,
    DeliveryError,
    MessageRejected,
    RecipientUnreachable,
    RetryAfter,
    TemporaryFailure,
)

# BadRequest descriptions that mean the recipient, not the message, is the problem.
_UNREACHABLE_MARKERS = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "chat_id is empty",
    "user is deactivated",
    "bot was kicked",
    "bot is not a member",
    "have no rights to send",
    "not enough rights to send",
    "chat_write_forbidden",
    "group chat was deactivated",
    "chat_restricted",
)


def retry_after_seconds(exc: tg.RetryAfter) -> float:
    """Seconds from PTB's RetryAfter, whether it exposes an int or a timedelta (PTB_TIMEDELTA)."""
    with warnings.catch_warnings():
        # PTB 22 warns that the int form is deprecated; both forms are handled here.
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def map_telegram_error(exc: tg.TelegramError) -> DeliveryError:
    """The ``DeliveryError`` a Telegram failure stands for."""
    text = exc.message
    if isinstance(exc, tg.RetryAfter):
        return RetryAfter(retry_after_seconds(exc), text)
    if isinstance(exc, tg.ChatMigrated):
        return ChatMigrated(str(exc.new_chat_id), text)
    if isinstance(exc, tg.Forbidden):
        return RecipientUnreachable(text)
    if isinstance(exc, tg.InvalidToken | tg.EndPointNotFound):
        return AuthenticationFailed(text)
    if isinstance(exc, tg.BadRequest):  # before NetworkError: BadRequest subclasses it
        return bad_request(text)
    return TemporaryFailure(text)  # TimedOut, NetworkError (5xx, transport), Conflict, bad answers


def bad_request(description: str) -> DeliveryError:
    """A 400: an unreachable recipient or a rejected message, judged by Telegram's description."""
    lowered = description.lower()
    if any(marker in lowered for marker in _UNREACHABLE_MARKERS):
        return RecipientUnreachable(description)
    return MessageRejected(description)
