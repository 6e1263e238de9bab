"""Polling, callback answers and webhook settings use the sending client (python-telegram-bot) and its errors."""
from __future__ import annotations

import pytest
from telegram import Bot
from telegram import error as tg

from connectors import AuthenticationFailed, RecipientUnreachable, RetryAfter, TemporaryFailure
from connectors.base import DeliveryError
from connectors.polling import TelegramPoller
from connectors.subscriptions import TelegramWebhook
from tests.fakes import FakeTelegram


@pytest.mark.parametrize(("raised", "expected"), [
    (tg.RetryAfter(7), RetryAfter), (tg.Forbidden("bot was blocked by the user"), RecipientUnreachable),
    (tg.InvalidToken(), AuthenticationFailed), (tg.TimedOut(), TemporaryFailure),
    (tg.Conflict("terminated by setWebhook"), TemporaryFailure),
])
def test_the_poller_maps_telegram_failures_as_sending_does(fake_telegram: FakeTelegram, raised: tg.TelegramError,
                                                           expected: type[DeliveryError]) -> None:
    poller = TelegramPoller(fake_telegram.token, fake_telegram.url, poll_timeout=0)

    async def fail(bot: Bot) -> None:
        assert isinstance(bot, Bot)  # the python-telegram-bot client, initialised
        raise raised

    try:
        with pytest.raises(expected) as caught:
            poller.run(fail)
    finally:
        poller.close()
    if expected is RetryAfter:
        assert caught.value.seconds == 7


def test_webhook_settings_go_through_the_same_client(fake_telegram: FakeTelegram) -> None:
    settings = {"TELEGRAM_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.url}
    hook = TelegramWebhook.from_settings(settings)
    try:
        assert hook.url() == "" and not hook.registered("https://otklik.example/webhooks/telegram")
        hook.subscribe("https://otklik.example/webhooks/telegram", "s3cret")
        assert hook.registered("https://otklik.example/webhooks/telegram")
    finally:
        hook.close()
    assert fake_telegram.webhook["secret_token"] == "s3cret"
    assert fake_telegram.calls("getMe") >= 1  # the client initialised itself as sending does
