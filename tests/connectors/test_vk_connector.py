"""The VK connector and reader over real HTTP against the fake VK API."""

from __future__ import annotations

import json
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
from connectors.vk import VkConnector, random_id
from connectors.vk_api import VkApi
from tests.fakes import FakeVk, faults


@pytest.fixture
def vk(fake_vk: FakeVk) -> Iterator[VkConnector]:
    connector = VkConnector.from_settings({"VK_TOKEN": fake_vk.token, "VK_API_URL": fake_vk.url, "VK_TIMEOUT": 2})
    yield connector
    connector.close()


def test_message_with_buttons_arrives_as_callback_keyboard(vk: VkConnector, fake_vk: FakeVk):
    message = OutgoingMessage("501", "Авария на сетях", (Button("Принято", "ack:9"),), idempotency_key="n9:r1")
    result = vk.send(message)

    [received] = fake_vk.messages_to(501)
    assert received.text == "Авария на сетях"
    assert received.buttons == (("Принято", "ack:9"),)
    assert received.raw["v"] == "5.199"
    assert int(received.raw["random_id"]) == random_id("n9:r1")
    assert json.loads(received.raw["keyboard"])["inline"] is True
    assert result.message_id == received.message_id


def test_random_id_is_stable_positive_31_bit():
    assert random_id("notice-1:rep-2") == random_id("notice-1:rep-2")
    assert random_id("notice-1:rep-2") != random_id("notice-1:rep-3")
    values = [random_id(f"k{i}") for i in range(1000)] + [random_id("")]
    assert all(0 < value < 2**31 for value in values)


def test_resend_with_the_same_idempotency_key_is_dropped_by_vk(vk: VkConnector, fake_vk: FakeVk):
    message = OutgoingMessage("502", "x", idempotency_key="notice-3:rep-4")
    first = vk.send(message)
    second = vk.send(message)
    assert first == second
    assert len(fake_vk.messages_to(502)) == 1
    assert fake_vk.duplicates == 1


@pytest.mark.parametrize(
    ("kind", "options", "error"),
    [
        (faults.RATE_LIMIT, {}, RetryAfter),
        (faults.ERROR, {"code": 9}, RetryAfter),
        (faults.ERROR, {"code": 29}, RetryAfter),
        (faults.BLOCKED, {}, RecipientUnreachable),
        (faults.NOT_FOUND, {}, RecipientUnreachable),
        (faults.ERROR, {"code": 902}, RecipientUnreachable),
        (faults.ERROR, {"code": 7}, RecipientUnreachable),
        (faults.ERROR, {"code": 100}, MessageRejected),
        (faults.SERVER_ERROR, {}, TemporaryFailure),
        (faults.ERROR, {"code": 1}, TemporaryFailure),
        (faults.SERVER_ERROR, {"status": 502}, TemporaryFailure),
        (faults.UNAUTHORIZED, {}, AuthenticationFailed),
    ],
)
def test_vk_errors_map_to_delivery_errors(vk, fake_vk, kind, options, error):
    fake_vk.fail(kind, chat=503, times=1, **options)
    with pytest.raises(error):
        vk.send(OutgoingMessage("503", "x", idempotency_key="k"))


def test_too_many_requests_waits_one_second(vk, fake_vk):
    fake_vk.fail(faults.RATE_LIMIT, times=1)
    with pytest.raises(RetryAfter) as caught:
        vk.send(OutgoingMessage("504", "x"))
    assert caught.value.seconds == 1


def test_no_answer_is_a_temporary_timeout(fake_vk: FakeVk):
    connector = VkConnector(fake_vk.token, fake_vk.url, timeout=0.4)
    fake_vk.fail(faults.HANG, times=1)
    try:
        with pytest.raises(TemporaryFailure):
            connector.send(OutgoingMessage("505", "x"))
    finally:
        connector.close()


def test_impossible_peer_fails_without_a_request(vk, fake_vk):
    with pytest.raises(RecipientUnreachable):
        vk.send(OutgoingMessage("id505", "x"))
    assert fake_vk.calls("messages.send") == 0


def test_reader_methods_serve_posts_comments_and_search(fake_vk: FakeVk):
    post = fake_vk.add_post(-1001, "Нет горячей воды на Советской, 12", date=1_700_000_000)
    fake_vk.add_post(-1001, "Субботник во дворе", date=1_700_000_100)
    fake_vk.add_comment(post, 77, "У нас тоже нет воды")
    api = VkApi(fake_vk.token, fake_vk.url, timeout=2)
    try:
        wall = api.wall_get(-1001)
        comments = api.wall_get_comments(-1001, post["id"])
        found = api.newsfeed_search("горячей воды")
    finally:
        api.close()
    assert wall["count"] == 2 and wall["items"][0]["text"] == "Субботник во дворе"
    assert comments["items"][0]["text"] == "У нас тоже нет воды"
    assert [p["id"] for p in found["items"]] == [post["id"]]


def test_vk_limits_wait_long_enough_and_say_what_they_throttle() -> None:
    from connectors.vk_api import map_vk_error

    quota, flood, per_second = map_vk_error(29, "Rate limit reached"), map_vk_error(9, "Flood control"), \
        map_vk_error(6, "Too many requests per second")
    assert isinstance(quota, RetryAfter) and (quota.seconds, quota.scope) == (3600.0, "channel")
    assert isinstance(flood, RetryAfter) and (flood.seconds, flood.scope) == (60.0, "recipient")
    assert isinstance(per_second, RetryAfter) and (per_second.seconds, per_second.scope) == (1.0, "channel")
