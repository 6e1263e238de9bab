"""Phone numbers: parsed and formatted in one place, with `phonenumbers`, stored as E.164.

Every way a number comes in (the desk, the API, Open311, a messenger's shared contact, an SMS address,
an outage's contact, the registry import) goes through `e164`; every search for a number looks up
exactly the E.164 spelling. Russian numbers are the default: «9001234567», «89001234567»,
«79001234567», «+7 (900) 123-45-67» are all «+79001234567». Lives in `connectors` (the lowest layer)
so that the SMS and messenger connectors use it as well as `workflows` and `web`.
"""
from __future__ import annotations

import phonenumbers

REGION = "RU"


class PhoneInvalid(ValueError):
    """Not a phone number; the message says what would be (Russian)."""


def parse(raw: str | None) -> phonenumbers.PhoneNumber | None:
    """The number `raw` writes, if it can be one (right length for its country); else None."""
    text = (raw or "").strip()
    if not text or not any(c.isdigit() for c in text):
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def e164(raw: str | None) -> str | None:
    """«+79001234567» for any usual writing of a number; None when `raw` is not a phone number."""
    number = parse(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else None


def stored(raw: str | None) -> str | None:
    """What a free-text phone field keeps: E.164 when it is a number, else the text as typed (trimmed),
    so that nothing a person wrote is lost; None for empty input."""
    text = (raw or "").strip()
    return e164(text) or text or None


def checked(raw: str | None) -> str:
    """E.164 of a number that exists (its prefix is in use), for addresses messages are sent to;
    raises PhoneInvalid with a Russian hint otherwise."""
    number = parse(raw)
    if number is None:
        raise PhoneInvalid("номер телефона, например +7 915 123-45-67")
    if not phonenumbers.is_valid_number(number):
        raise PhoneInvalid("такого номера телефона не бывает: проверьте цифры")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def digits(raw: str | None) -> str | None:
    """«79001234567»: the E.164 number without its plus, as SMS gateways take it; None when not a number."""
    normal = e164(raw)
    return normal[1:] if normal else None


def display(raw: str | None) -> str:
    """«+7 900 123-45-67» for people; text that is not a number is shown as it is."""
    number = parse(raw)
    if number is None:
        return (raw or "").strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
