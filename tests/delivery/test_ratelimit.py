"""Rate limits shared by every worker: evenly spaced slots, per-chat turns, pauses when told."""
from __future__ import annotations

import time

import pytest
import redis
from flask import Flask

from tests.conftest import REDIS_URL, need, redis_answers
from workflows.delivery.ratelimit import Limiter, Reservation, Rule, decide, rules_for
from workflows.delivery.ratelimit_db import DatabaseLimiter
from workflows.delivery.ratelimit_redis import RedisLimiter

SHARED = Rule("channel:telegram", 0.1)


def test_free_slot_is_granted_at_once_and_a_taken_one_after_the_interval() -> None:
    assert decide(100.0, 0.0, None, 2.0) == Reservation(True, 0.0)
    assert decide(100.0, 100.25, None, 2.0) == Reservation(True, 0.25)


def test_a_busy_chat_or_a_long_wait_is_not_reserved() -> None:
    assert decide(100.0, 0.0, 100.5, 2.0) == Reservation(False, 0.5)
    assert decide(100.0, 103.0, None, 2.0) == Reservation(False, 3.0)


def test_telegram_keeps_one_message_a_second_per_chat_and_twenty_a_minute_per_group(app: Flask) -> None:
    config = {"TELEGRAM_RATE": 25}
    shared, private = rules_for(config, "telegram", "42")
    _, group = rules_for(config, "telegram", "-100123")
    assert shared == Rule("channel:telegram", 0.04)
    assert private == Rule("telegram:chat:42", 1.0)
    assert group == Rule("telegram:chat:-100123", 3.0)
    assert rules_for({"SMTP_RATE": 10}, "email", "a@b.ru") == (Rule("channel:email", 0.1), None)


def test_max_keeps_two_messages_a_second_per_chat_and_vk_keeps_a_key_for_flood_pauses(app: Flask) -> None:
    assert rules_for({"MAX_RATE": 20}, "max", "user:1") == (Rule("channel:max", 0.05), Rule("max:chat:user:1", 0.5))
    assert rules_for({}, "max", "chat:-70")[1] == Rule("max:chat:chat:-70", 0.5)
    assert rules_for({}, "max", "301")[1] == Rule("max:chat:user:301", 0.5)  # a bare id is a user's dialog
    assert rules_for({}, "max", "not an id")[1] is None
    assert rules_for({}, "vk", "2000000005")[1] == Rule("vk:chat:2000000005", 0.0)


def _spacing(limiter: Limiter) -> None:
    slots = []
    for _ in range(5):
        wait = limiter.reserve(SHARED, None, 2.0).wait
        slots.append(time.monotonic() + wait)
    steps = [b - a for a, b in zip(slots, slots[1:], strict=False)]
    assert all(abs(step - 0.1) < 0.03 for step in steps), steps  # evenly spaced, no burst
    chat = Rule("telegram:chat:7", 1.0)
    assert limiter.reserve(SHARED, chat, 2.0).granted
    second = limiter.reserve(SHARED, chat, 2.0)
    assert not second.granted and 1.0 < second.wait <= 1.6  # its turn: a second after its slot
    limiter.pause("channel:max", 5.0)
    paused = limiter.reserve(Rule("channel:max", 0.1), None, 10.0)
    assert paused.granted and 4.5 < paused.wait <= 5.0


def test_database_limiter_spaces_sends_and_takes_turns_per_chat(app: Flask) -> None:
    _spacing(DatabaseLimiter())


@pytest.mark.redis
def test_redis_limiter_spaces_sends_and_takes_turns_per_chat() -> None:
    need(redis_answers(), "Redis")
    redis.Redis.from_url(REDIS_URL).flushdb()
    _spacing(RedisLimiter(REDIS_URL))
