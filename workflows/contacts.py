"""Addresses of a channel as people type them, checked and normalised before they are stored.

Phones through `connectors.phones` (E.164, Russian numbers by default), e-mail through
`email-validator` (syntax only: no DNS look-up while a request waits), messenger ids as numbers.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email

from connectors import phones

TELEGRAM_CHAT = re.compile(r"-?\d{1,20}")  # groups and supergroups are negative (-100...)
MAX_ADDRESS = re.compile(r"(?:(user|chat):)?(-?\d{1,20})")  # see connectors.max_bot
VK_PEER = re.compile(r"\d{1,12}")


class AddressInvalid(ValueError):
    """The address does not fit its channel; the message says what would (Russian)."""


def phone(raw: str) -> str:
    try:
        return phones.checked(raw)
    except phones.PhoneInvalid as exc:
        raise AddressInvalid(str(exc)) from None


def email(raw: str) -> str:
    try:
        return str(validate_email(raw, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise AddressInvalid("адрес электронной почты, например ivanov@mail.ru") from None


def _numeric(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def check(raw: str) -> str:
        value = raw.replace(" ", "")
        if not pattern.fullmatch(value):
            raise AddressInvalid(what)
        return value

    return check


CHANNELS: dict[str, Callable[[str], str]] = {
    "sms": phone,
    "email": email,
    "telegram": _numeric(TELEGRAM_CHAT, "числовой id чата Telegram"),
    "max": _numeric(MAX_ADDRESS, "числовой id пользователя или чата MAX (user:<id>, chat:<id>)"),
    "vk": _numeric(VK_PEER, "числовой id пользователя VK"),
}


def normalised(channel: str, raw: str) -> str:
    """`raw` checked for `channel` and in the form the connector sends to; raises AddressInvalid."""
    check = CHANNELS.get(channel)
    return check(raw.strip()) if check is not None else raw.strip()
