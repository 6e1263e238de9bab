"""The weekly digest: what it says, when it is due, and that a week is sent once even with two workers."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.stats.seed import seed
from workflows.accounts.service import create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.digest.service import digest_due, send_weekly_digest, subscribe
from workflows.stats.period import week_of

WEEK = week_of(date(2026, 11, 2))


def _subscribers(city: City) -> None:
    create_user("official", "official", city.city.id, "Correct-horse-1")
    create_user("uk1_head", "org_head", city.uk1.id, "Correct-horse-1")
    subscribe("official", "email", "official@tambov.example")
    subscribe("official", "telegram", "700100200")
    subscribe("uk1_head", "email", "head@uk1.example")


def _rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.notice_key == "digest:2026-11-02")
                                   .order_by(OutboxMessage.id)))


def test_the_digest_tells_the_city_and_each_head_their_part_once(
        db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    seed(db_city, db_clock)
    _subscribers(db_city)
    assert send_weekly_digest(WEEK) == 3
    email, telegram, head = _rows()
    assert (email.channel, email.subject) == ("email", "Отклик: еженедельный отчёт за 02.11.2026 — 08.11.2026")
    assert "Обращений: 8, решено: 4, в срок: 3" in email.text and "/digest/2026-11-02.xlsx" in email.text
    assert telegram.text == email.text and telegram.subject is None
    assert db_city.uk1.name in head.text and "место 1 из 1, балл 63.4" in head.text
    assert "Просрочено сейчас: 3" in head.text and db_city.uk2.name not in head.text
    assert send_weekly_digest(WEEK) == 0 and len(_rows()) == 3


def test_the_digest_is_due_from_monday_nine_city_time(db_app: Flask, db_city: City, db_clock: FakeClock) -> None:
    db_clock.set(datetime(2026, 11, 9, 5, 59, tzinfo=UTC))  # Monday 08:59 in Tambov
    assert digest_due() is None
    db_clock.set(datetime(2026, 11, 9, 6, 7, tzinfo=UTC))
    assert digest_due() == WEEK
    send_weekly_digest(WEEK)
    assert digest_due() is None
    db_clock.set(datetime(2026, 11, 12, 6, 7, tzinfo=UTC))  # a worker that was down on Monday catches up
    assert digest_due() is None


def test_two_workers_send_a_week_once(pg_url: str, tmp_path: Path) -> None:
    app = make_app(tmp_path, pg_url)
    with app.app_context():
        city = build_city()
        _subscribers(city)
        db.session.remove()
    results: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        with app.app_context():
            start.wait()
            results.append(send_weekly_digest(WEEK))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 2]  # the head of an organisation without appeals that week gets nothing
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
        db.session.remove()
