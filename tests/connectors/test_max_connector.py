"""The MAX connector over real HTTP against the fake MAX Bot API."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from connectors import (
    AuthenticationFailed,
    Button,
    MessageRejected,
    OutgoingMessage,
    RecipientUnreachable,
    RetryAfter,
    TemporaryFailure,
)
from connectors.max_bot import MaxConnector, recipient_params
from tests.fakes import FakeMax, faults


@pytest.fixture
def max_connector(fake_max: FakeMax) -> Iterator[MaxConnector]:
    connector = MaxConnector.from_settings({"MAX_TOKEN": fake_max.token, "MAX_API_URL": fake_max.url, "MAX_TIMEOUT": 2})
    yield connector
    connector.close()


def test_message_to_a_user_with_buttons(max_connector: MaxConnector, fake_max: FakeMax):
    result = max_connector.send(OutgoingMessage("301", "Плановое отключение", (Button("Принято", "ack:5"),)))

    [received] = fake_max.messages_to(301)
    assert received.text == "Плановое отключение"
    assert received.buttons == (("Принято", "ack:5"),)
    assert received.raw["target"] == "user_id"
    assert result.message_id == received.message_id
    attachment = received.raw["attachments"][0]
    assert attachment["type"] == "inline_keyboard"
    assert attachment["payload"]["buttons"] == [[{"type": "callback", "text": "Принято", "payload": "ack:5"}]]


def test_chat_prefix_sends_to_a_chat(max_connector: MaxConnector, fake_max: FakeMax):
    max_connector.send(OutgoingMessage("chat:-7001", "в чат дома"))
    max_connector.send(OutgoingMessage("user:7002", "лично"))
    assert fake_max.messages_to(-7001)[0].raw["target"] == "chat_id"
    assert fake_max.messages_to(7002)[0].raw["target"] == "user_id"
    assert "attachments" not in fake_max.messages_to(7002)[0].raw


def test_address_forms():
    assert recipient_params("123") == {"user_id": "123"}
    assert recipient_params(" user:123 ") == {"user_id": "123"}
    assert recipient_params("chat:-68000") == {"chat_id": "-68000"}
    with pytest.raises(RecipientUnreachable):
        recipient_params("group:1")


def test_rate_limit_uses_retry_after_header(max_connector, fake_max):
    fake_max.fail(faults.RATE_LIMIT, chat=302, times=1, retry_after=4)
    with pytest.raises(RetryAfter) as caught:
        max_connector.send(OutgoingMessage("302", "x"))
    assert caught.value.seconds == 4


@pytest.mark.parametrize("kind", [faults.BLOCKED, faults.NOT_FOUND])
def test_blocked_or_missing_chat_is_recipient_unreachable(max_connector, fake_max, kind):
    fake_max.fail(kind, chat=303)
    with pytest.raises(RecipientUnreachable):
        max_connector.send(OutgoingMessage("303", "x"))


def test_bad_request_is_message_rejected(max_connector, fake_max):
    fake_max.fail(faults.ERROR, chat=304, status=400)
    with pytest.raises(MessageRejected):
        max_connector.send(OutgoingMessage("304", "x"))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_temporary(max_connector, fake_max, status):
    fake_max.fail(faults.SERVER_ERROR, times=1, status=status)
    with pytest.raises(TemporaryFailure):
        max_connector.send(OutgoingMessage("305", "x"))


def test_no_answer_is_a_temporary_timeout(fake_max: FakeMax):
    connector = MaxConnector(fake_max.token, fake_max.url, timeout=0.4)
    fake_max.fail(faults.HANG, times=1)
    try:
        with pytest.raises(TemporaryFailure, match="timeout"):
            connector.send(OutgoingMessage("306", "x"))
    finally:
        connector.close()


def test_slow_answer_within_timeout_succeeds(max_connector, fake_max):
    fake_max.fail(faults.SLOW, times=1, delay=0.3)
    max_connector.send(OutgoingMessage("307", "x"))
    assert len(fake_max.messages_to(307)) == 1


def test_wrong_token_is_authentication_failure(fake_max: FakeMax):
    connector = MaxConnector("wrong", fake_max.url, timeout=2)
    with pytest.raises(AuthenticationFailed):
        connector.send(OutgoingMessage("308", "x"))
    connector.close()


def test_usable_from_many_threads(max_connector, fake_max):
    fake_max.enforce_limits = False
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(5):
                max_connector.send(OutgoingMessage(str(400 + n * 10 + i), "x"))
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(fake_max.all_messages()) == 30
