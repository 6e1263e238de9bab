"""The Telegram connector over real HTTP against the fake Bot API (python-telegram-bot inside)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from connectors import (
    AuthenticationFailed,
    Button,
    ChatMigrated,
    MessageRejected,
    OutgoingMessage,
    PermanentFailure,
    RecipientUnreachable,
    RetryAfter,
    TemporaryFailure,
)
from connectors.telegram_bot import TelegramConnector
from tests.fakes import FakeTelegram, faults

# PTB 22 itself reads its deprecated int ``retry_after`` while building the exception.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def settings_for(fake: FakeTelegram, **extra: Any) -> dict[str, Any]:
    return {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": fake.url, "TELEGRAM_TIMEOUT": 2, **extra}


@pytest.fixture
def telegram(fake_telegram: FakeTelegram) -> Iterator[TelegramConnector]:
    connector = TelegramConnector.from_settings(settings_for(fake_telegram))
    yield connector
    connector.close()


def test_message_with_buttons_arrives_as_inline_keyboard(telegram: TelegramConnector, fake_telegram):
    buttons = (Button("Принято", "ack:17"), Button("Не актуально", "stale:17"))
    result = telegram.send(OutgoingMessage("1001", "Отключение холодной воды", buttons))

    [received] = fake_telegram.messages_to(1001)
    assert received.text == "Отключение холодной воды"
    assert received.buttons == (("Принято", "ack:17"), ("Не актуально", "stale:17"))
    assert result.message_id == received.message_id
    assert result.new_address is None


def test_group_and_channel_addresses_are_accepted(telegram: TelegramConnector, fake_telegram):
    telegram.send(OutgoingMessage("-100123456", "в чат дома"))
    telegram.send(OutgoingMessage("@tambov_outages", "в канал"))
    assert [m.chat for m in fake_telegram.all_messages()] == ["-100123456", "@tambov_outages"]


def test_rate_limit_raises_retry_after_with_telegrams_seconds(telegram, fake_telegram):
    fake_telegram.fail(faults.RATE_LIMIT, chat=1002, times=1, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        telegram.send(OutgoingMessage("1002", "x"))
    assert caught.value.seconds == 7
    telegram.send(OutgoingMessage("1002", "x"))  # the fault was for one time only
    assert len(fake_telegram.messages_to(1002)) == 1


def test_blocked_bot_is_recipient_unreachable(telegram, fake_telegram):
    fake_telegram.fail(faults.BLOCKED, chat=1003)
    with pytest.raises(RecipientUnreachable) as caught:
        telegram.send(OutgoingMessage("1003", "x"))
    assert "blocked" in caught.value.reason
    assert isinstance(caught.value, PermanentFailure)


def test_chat_not_found_is_recipient_unreachable(telegram, fake_telegram):
    fake_telegram.fail(faults.NOT_FOUND, chat=1004)
    with pytest.raises(RecipientUnreachable, match="(?i)chat not found"):
        telegram.send(OutgoingMessage("1004", "x"))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_temporary(telegram, fake_telegram, status):
    fake_telegram.fail(faults.SERVER_ERROR, times=1, status=status)
    with pytest.raises(TemporaryFailure):
        telegram.send(OutgoingMessage("1005", "x"))


def test_slow_answer_within_timeout_succeeds(telegram, fake_telegram):
    fake_telegram.fail(faults.SLOW, times=1, delay=0.3)
    telegram.send(OutgoingMessage("1006", "x"))
    assert len(fake_telegram.messages_to(1006)) == 1


def test_no_answer_is_a_temporary_timeout(fake_telegram):
    connector = TelegramConnector.from_settings(settings_for(fake_telegram, TELEGRAM_TIMEOUT=0.5))
    try:
        connector.send(OutgoingMessage("1007", "warm-up"))  # initialise before the fault
        fake_telegram.fail(faults.HANG, times=1)
        with pytest.raises(TemporaryFailure):
            connector.send(OutgoingMessage("1008", "x"))
    finally:
        connector.close()


def test_migrated_group_is_followed_and_new_id_reported(telegram, fake_telegram):
    fake_telegram.fail(faults.MIGRATE, chat=-555, new_chat_id="-1005550000")
    result = telegram.send(OutgoingMessage("-555", "в чат дома"))
    assert result.new_address == "-1005550000"
    assert [m.chat for m in fake_telegram.all_messages()] == ["-1005550000"]


def test_migration_raises_chat_migrated_when_not_followed(fake_telegram):
    connector = TelegramConnector.from_settings(settings_for(fake_telegram, TELEGRAM_FOLLOW_MIGRATIONS="false"))
    fake_telegram.fail(faults.MIGRATE, chat=-556, new_chat_id="-1005560000")
    try:
        with pytest.raises(ChatMigrated) as caught:
            connector.send(OutgoingMessage("-556", "x"))
    finally:
        connector.close()
    assert caught.value.new_address == caught.value.new_chat_id == "-1005560000"
    assert fake_telegram.all_messages() == []


def test_failure_after_following_a_migration_carries_the_new_address(telegram, fake_telegram):
    fake_telegram.fail(faults.MIGRATE, chat=-557, new_chat_id="-1005570000")
    fake_telegram.fail(faults.RATE_LIMIT, chat="-1005570000", times=1, retry_after=2)
    with pytest.raises(RetryAfter) as caught:
        telegram.send(OutgoingMessage("-557", "x"))
    assert caught.value.new_address == "-1005570000"


def test_impossible_address_fails_without_a_request(telegram, fake_telegram):
    with pytest.raises(RecipientUnreachable):
        telegram.send(OutgoingMessage("not a chat", "x"))
    assert fake_telegram.calls("sendMessage") == 0


def test_oversized_button_payload_is_rejected(telegram):
    with pytest.raises(MessageRejected):
        telegram.send(OutgoingMessage("1009", "x", (Button("ok", "p" * 65),)))


def test_wrong_token_is_authentication_failure(fake_telegram):
    connector = TelegramConnector(token="999:WRONG", api_url=fake_telegram.url, timeout=2)
    with pytest.raises(AuthenticationFailed):
        connector.send(OutgoingMessage("1010", "x"))
    connector.close()


def test_usable_from_many_threads_with_one_bot_per_thread(telegram, fake_telegram):
    fake_telegram.enforce_limits = False
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(5):
                telegram.send(OutgoingMessage(str(2000 + n * 10 + i), f"notice {n}/{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(fake_telegram.all_messages()) == 40
    assert fake_telegram.calls("getMe") == 8  # initialised once per thread, not per message


def test_close_then_send_again_reinitialises(telegram, fake_telegram):
    telegram.send(OutgoingMessage("1011", "a"))
    telegram.close()
    telegram.send(OutgoingMessage("1012", "b"))
    assert fake_telegram.calls("getMe") == 2
