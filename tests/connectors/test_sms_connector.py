"""The SMS connector against the fake SMS.ru-style gateway."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors import (
    AuthenticationFailed,
    OutgoingMessage,
    RecipientUnreachable,
    RetryAfter,
    TemporaryFailure,
)
from connectors.sms import SmsConnector, normalize_phone
from tests.fakes import FakeSmsGateway, faults


@pytest.fixture
def sms(fake_sms: FakeSmsGateway) -> Iterator[SmsConnector]:
    connector = SmsConnector.from_settings(
        {"SMS_API_URL": fake_sms.url, "SMS_API_KEY": fake_sms.api_key, "SMS_TIMEOUT": 2}
    )
    yield connector
    connector.close()


def test_sms_is_sent_to_the_normalised_number(sms: SmsConnector, fake_sms: FakeSmsGateway):
    result = sms.send(OutgoingMessage("8 (900) 123-45-67", "Нет воды до 17:00"))
    [received] = fake_sms.messages_to("79001234567")
    assert received.text == "Нет воды до 17:00"
    assert received.raw["json"] == "1"
    assert result.message_id == received.message_id


def test_phone_forms():
    assert normalize_phone("+7 900 123-45-67") == "79001234567"
    assert normalize_phone("9001234567") == "79001234567"
    with pytest.raises(RecipientUnreachable):
        normalize_phone("12-34")


@pytest.mark.parametrize(
    ("kind", "error"), [(faults.BLOCKED, RecipientUnreachable), (faults.NOT_FOUND, RecipientUnreachable)]
)
def test_refused_number_is_recipient_unreachable(sms, fake_sms, kind, error):
    fake_sms.fail(kind, chat="79001112233")
    with pytest.raises(error):
        sms.send(OutgoingMessage("+79001112233", "x"))


def test_gateway_limit_is_retry_after(sms, fake_sms):
    fake_sms.fail(faults.RATE_LIMIT, times=1)
    with pytest.raises(RetryAfter) as caught:
        sms.send(OutgoingMessage("+79001112234", "x"))
    assert caught.value.seconds == 60


def test_wrong_key_is_authentication_failure(fake_sms: FakeSmsGateway):
    connector = SmsConnector("wrong", fake_sms.url, timeout=2)
    with pytest.raises(AuthenticationFailed):
        connector.send(OutgoingMessage("+79001112235", "x"))
    connector.close()


@pytest.mark.parametrize("options", [{"kind": faults.SERVER_ERROR}, {"kind": faults.ERROR, "code": 220}])
def test_gateway_trouble_is_temporary(sms, fake_sms, options):
    fake_sms.fail(times=1, **options)
    with pytest.raises(TemporaryFailure):
        sms.send(OutgoingMessage("+79001112236", "x"))


def test_no_answer_is_a_temporary_timeout(fake_sms: FakeSmsGateway):
    connector = SmsConnector(fake_sms.api_key, fake_sms.url, timeout=0.4)
    fake_sms.fail(faults.HANG, times=1)
    try:
        with pytest.raises(TemporaryFailure):
            connector.send(OutgoingMessage("+79001112237", "x"))
    finally:
        connector.close()
