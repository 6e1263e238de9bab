"""The fakes enforce the real platforms' rate limits, so delivery tests can trust them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from connectors import OutgoingMessage, RetryAfter
from connectors.max_bot import MaxConnector
from tests.fakes import FakeMax, FakeTelegram, FakeVk


def hammer(url: str, requests: list[tuple[str, dict]], workers: int = 16, **client_args) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=workers)
    with httpx.Client(timeout=5, limits=limits, **client_args) as client, ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda req: client.post(url + req[0], json=req[1]), requests))


def test_fake_telegram_allows_at_most_30_messages_per_second(fake_telegram: FakeTelegram):
    url = f"{fake_telegram.url}/bot{fake_telegram.token}"
    answers = hammer(url, [("/sendMessage", {"chat_id": 5000 + i, "text": "x"}) for i in range(120)])

    limited = [a for a in answers if a.status_code == 429]
    assert limited, "120 messages at once must run into the 30/s limit"
    assert fake_telegram.count_429 == len(limited)
    assert fake_telegram.max_per_second() <= 30
    body = limited[0].json()
    assert body["ok"] is False and body["error_code"] == 429
    assert body["description"].startswith("Too Many Requests: retry after ")
    assert body["parameters"]["retry_after"] >= 1


def test_fake_telegram_allows_one_message_per_second_to_a_private_chat(fake_telegram: FakeTelegram):
    url = f"{fake_telegram.url}/bot{fake_telegram.token}/sendMessage"
    first = httpx.post(url, json={"chat_id": 42, "text": "a"})
    second = httpx.post(url, json={"chat_id": 42, "text": "b"})
    other = httpx.post(url, json={"chat_id": 43, "text": "c"})
    assert (first.status_code, second.status_code, other.status_code) == (200, 429, 200)
    assert second.json()["parameters"]["retry_after"] == 1


def test_fake_telegram_allows_20_messages_per_minute_to_a_group(fake_telegram: FakeTelegram):
    url = f"{fake_telegram.url}/bot{fake_telegram.token}/sendMessage"
    answers = [httpx.post(url, data={"chat_id": "-777", "text": str(i)}) for i in range(21)]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429
    assert answers[20].json()["parameters"]["retry_after"] > 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_connector_sees_the_per_chat_limit_as_retry_after(fake_telegram: FakeTelegram):
    from connectors.telegram_bot import TelegramConnector

    connector = TelegramConnector(fake_telegram.token, fake_telegram.url, timeout=2)
    try:
        connector.send(OutgoingMessage("44", "a"))
        with pytest.raises(RetryAfter) as caught:
            connector.send(OutgoingMessage("44", "b"))
    finally:
        connector.close()
    assert caught.value.seconds == 1


def test_fake_max_allows_about_30_requests_per_second(fake_max: FakeMax):
    answers = hammer(
        fake_max.url,
        [(f"/messages?user_id={i}", {"text": "x"}) for i in range(100)],
        headers={"Authorization": fake_max.token},
    )
    assert any(a.status_code == 429 for a in answers)
    assert fake_max.max_per_second() <= 30
    assert fake_max.count_429 == sum(a.status_code == 429 for a in answers)


def test_max_connector_reads_retry_after_from_the_limit(fake_max: FakeMax):
    fake_max.requests_per_second = 1
    connector = MaxConnector(fake_max.token, fake_max.url, timeout=2)
    try:
        connector.send(OutgoingMessage("1", "a"))
        with pytest.raises(RetryAfter) as caught:
            connector.send(OutgoingMessage("2", "b"))
    finally:
        connector.close()
    assert caught.value.seconds == 1


def test_fake_vk_allows_20_requests_per_second_then_error_6(fake_vk: FakeVk):
    url = f"{fake_vk.url}/method/messages.send"
    requests = [
        ("", {"access_token": fake_vk.token, "v": "5.199", "peer_id": i, "random_id": i, "message": "x"})
        for i in range(1, 61)
    ]
    with httpx.Client(timeout=5) as client, ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda r: client.post(url, data=r[1]), requests))
    assert all(a.status_code == 200 for a in answers)
    errors = [a.json()["error"] for a in answers if "error" in a.json()]
    assert errors and {e["error_code"] for e in errors} == {6}
    assert fake_vk.max_per_second() <= 20
