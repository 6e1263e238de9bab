"""A large notice goes out at the configured rate without tripping the messenger's limits."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.delivery.helpers import enqueue_fan_out, fresh_stats, wait_until
from tests.delivery.workers import RATE, sender_app, start_worker, stop, worker_env
from tests.fakes.telegram_api import FakeTelegram

RECIPIENTS = 3000


@pytest.mark.slow
def test_three_thousand_recipients_each_get_one_message_and_no_second_exceeds_the_limit(
        tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    database, queue = f"sqlite:///{tmp_path / 'otklik.db'}", f"sqlite:///{tmp_path / 'queue.db'}"
    app = sender_app(tmp_path, fake_telegram, database, queue)
    worker = start_worker(worker_env(tmp_path, fake_telegram, database, queue), tmp_path / "worker.log")
    chats = list(range(100_001, 100_001 + RECIPIENTS))
    try:
        with app.app_context():
            enqueue_fan_out("outage:big", chats, group="outage:big")
            expected_seconds = RECIPIENTS / RATE  # 120 s
            done = wait_until(lambda: fresh_stats("outage:big")["sent"] == RECIPIENTS,
                              timeout=expected_seconds * 1.3, step=0.5)
            assert done, fresh_stats("outage:big")
    finally:
        stop(worker)
    received = Counter(int(m.chat) for m in fake_telegram.all_messages())
    assert set(received) == set(chats)
    assert max(received.values()) == 1
    assert fake_telegram.max_per_second() <= fake_telegram.global_per_second
    assert fake_telegram.count_429 == 0
