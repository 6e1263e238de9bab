"""A large notice goes out at the configured rate without tripping the messenger's limits."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.delivery.helpers import enqueue_fan_out, fresh_stats, wait_until
from tests.delivery.workers import sender_app, start_worker, stop, worker_env
from tests.fakes.telegram_api import FakeTelegram

RECIPIENTS = 3000
# Six times the contract's 25/s under a fake limit raised alike: the same property (everyone once, no second
# over the limit, no 429) in 20 s instead of 120; bench/fanout.py measures the contract's own rate.
TEST_RATE, FAKE_LIMIT = 150, 180


@pytest.mark.slow
def test_three_thousand_recipients_each_get_one_message_and_no_second_exceeds_the_limit(
        tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    database, queue = f"sqlite:///{tmp_path / 'otklik.db'}", f"sqlite:///{tmp_path / 'queue.db'}"
    fake_telegram.global_per_second = FAKE_LIMIT
    app = sender_app(tmp_path, fake_telegram, database, queue)
    env = {**worker_env(tmp_path, fake_telegram, database, queue), "OTKLIK_TELEGRAM_RATE": str(TEST_RATE)}
    worker = start_worker(env, tmp_path / "worker.log")
    chats = list(range(100_001, 100_001 + RECIPIENTS))
    try:
        with app.app_context():
            enqueue_fan_out("outage:big", chats, group="outage:big")
            expected_seconds = RECIPIENTS / TEST_RATE  # 20 s
            done = wait_until(lambda: fresh_stats("outage:big")["sent"] == RECIPIENTS,
                              timeout=expected_seconds * 3, step=0.5)
            assert done, fresh_stats("outage:big")
    finally:
        stop(worker)
    received = Counter(int(m.chat) for m in fake_telegram.all_messages())
    assert set(received) == set(chats)
    assert max(received.values()) == 1
    assert fake_telegram.max_per_second() <= fake_telegram.global_per_second
    assert fake_telegram.count_429 == 0
