"""One phone normaliser: every spelling of a number is the same E.164 string, used by desk, API, SMS, messengers."""
from __future__ import annotations

import pytest

from connectors import phones
from connectors.inbound import contact_phone
from connectors.sms import normalize_phone as sms_form
from workflows import contacts

SPELLINGS = ["9001234567", "79001234567", "+79001234567", "89001234567", "8 (900) 123-45-67", "+7 900 123 45 67"]


@pytest.mark.parametrize("raw", SPELLINGS)
def test_every_spelling_of_a_russian_number_is_one_e164(raw: str) -> None:
    assert phones.e164(raw) == "+79001234567"
    assert phones.stored(raw) == "+79001234567"
    assert phones.digits(raw) == "79001234567"
    assert phones.display(raw) == "+7 900 123-45-67"


@pytest.mark.parametrize("raw", SPELLINGS)
def test_the_connectors_and_the_contact_check_agree_with_the_module(raw: str) -> None:
    assert sms_form(raw) == "79001234567"
    assert contacts.normalised("sms", raw) == "+79001234567"
    assert contact_phone(raw) == "+79001234567"


def test_a_city_landline_and_a_foreign_number() -> None:
    assert phones.e164("8 (4752) 72-34-75") == "+74752723475"
    assert phones.e164("+375 29 123-45-67") == "+375291234567"
    assert contact_phone("375291234567") == "+375291234567"  # Telegram sends international without its plus


@pytest.mark.parametrize("raw", ["", "   ", "12-34", "звоните мне", None])
def test_what_is_not_a_number(raw: str | None) -> None:
    assert phones.e164(raw) is None and phones.digits(raw) is None
    assert phones.stored(raw) == ((raw or "").strip() or None)  # kept as typed, nothing lost


def test_checked_refuses_a_number_that_does_not_exist_in_russian() -> None:
    with pytest.raises(phones.PhoneInvalid, match="номер телефона"):
        phones.checked("12-34")
    with pytest.raises(phones.PhoneInvalid, match="не бывает"):
        phones.checked("+7 000 000-00-00")
    assert phones.checked("8 900 123 45 67") == "+79001234567"
