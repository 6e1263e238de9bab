"""The MAX fake behaves like the live host: 2 messages/s into one chat, 300 ms between polls, header-only auth."""

from __future__ import annotations

import httpx
import pytest

from connectors import OutgoingMessage, RetryAfter
from connectors.max_bot import MaxConnector
from connectors.polling import MaxPoller
from tests.fakes import FakeMax


def _settings(fake: FakeMax) -> dict[str, object]:
    return {"MAX_TOKEN": fake.token, "MAX_API_URL": fake.url, "MAX_TIMEOUT": 2}


def test_a_third_message_into_one_chat_within_a_second_is_refused(fake_max: FakeMax) -> None:
    connector = MaxConnector.from_settings(_settings(fake_max))
    try:
        connector.send(OutgoingMessage("chat:-7", "1"))
        connector.send(OutgoingMessage("chat:-7", "2"))
        connector.send(OutgoingMessage("chat:-8", "другой чат"))  # another chat has its own two
        with pytest.raises(RetryAfter):
            connector.send(OutgoingMessage("chat:-7", "3"))
    finally:
        connector.close()
    assert [m.text for m in fake_max.messages_to(-7)] == ["1", "2"]
    assert fake_max.count_429 == 1


def test_the_fake_refuses_polls_closer_than_300_ms(fake_max: FakeMax) -> None:
    eager = MaxPoller.from_settings(_settings(fake_max), poll_timeout=0)
    eager.min_interval = 0.0
    try:
        eager.fetch(None)
        with pytest.raises(RetryAfter):
            eager.fetch(None)
    finally:
        eager.close()
    assert fake_max.poll_too_soon == 1


def test_the_poller_waits_out_the_minimum_interval_itself(fake_max: FakeMax) -> None:
    moments = iter([10.0, 10.05, 10.1])  # answer 1 at 10.0; polls again at 10.05; answer 2 at 10.1
    slept: list[float] = []
    poller = MaxPoller(fake_max.token, fake_max.url, poll_timeout=0, monotonic=lambda: next(moments),
                       sleep=slept.append)
    fake_max.enforce_limits = False  # the fake clock above does not move real time
    try:
        poller.fetch(None)
        poller.fetch(None)
    finally:
        poller.close()
    assert slept == [pytest.approx(0.25)]


def test_a_token_in_the_query_string_is_refused(fake_max: FakeMax) -> None:
    answer = httpx.get(f"{fake_max.url}/me", params={"access_token": fake_max.token})
    assert answer.status_code == 401
