"""The weekly digest: what it says, when it is due, and that a week is sent once even with two workers."""
from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.fakes.smtp_server import FakeSmtpServer, ReceivedMail
from tests.stats.seed import seed
from workflows.accounts.service import create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.delivery.sending import deliver
from workflows.digest.attachment import XLSX
from workflows.digest.service import digest_due, send_weekly_digest, subscribe
from workflows.services import services_of
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
    assert "Отчёт Excel — во вложении" in email.text and email.attachment == "digest-xlsx:2026-11-02"
    assert "Отчёт Excel: http" in telegram.text and "вложении" not in telegram.text
    assert telegram.text.splitlines()[:-1] == email.text.splitlines()[:-1] and telegram.subject is None
    assert telegram.attachment is None and head.attachment == f"digest-xlsx:2026-11-02/{db_city.uk1.id}"
    assert db_city.uk1.name in head.text and "место 1 из 1, балл 63.4" in head.text
    assert "Просрочено сейчас: 3" in head.text and db_city.uk2.name not in head.text
    assert send_weekly_digest(WEEK) == 0 and len(_rows()) == 3


def _workbook(mail: ReceivedMail) -> tuple[str, Workbook]:
    parts = [p for p in mail.message.iter_attachments()]
    assert len(parts) == 1
    body = parts[0].get_payload(decode=True)
    assert isinstance(body, bytes) and parts[0].get_content_type() == XLSX
    return str(parts[0].get_filename()), load_workbook(io.BytesIO(body))


def test_the_digest_e_mail_carries_the_excel_report(any_db_url: str, tmp_path: Path) -> None:
    with FakeSmtpServer() as smtp:
        app = make_app(tmp_path, any_db_url, SMTP_URL=smtp.url, SMTP_FROM="otklik@tambov.example")
        clock: FakeClock = services_of(app).clock
        with app.app_context():
            city = build_city()
            seed(city, clock)
            _subscribers(city)
            clock.set(datetime(2026, 11, 9, 6, 7, tzinfo=UTC))  # Monday 09:07 in Tambov
            assert send_weekly_digest(WEEK) == 3
            for row in _rows():
                deliver(row.id)  # sent already by the immediate queue, or now
            assert {r.state for r in _rows()} == {"sent", "parked"}  # telegram has no token here
            city_mail, = smtp.mails_to("official@tambov.example")
            name, book = _workbook(city_mail)
            assert name == "otklik-nedelya-2026-11-02.xlsx"
            assert book.sheetnames == ["Рейтинг", "Просроченные", "Отключения", "Перерывы сверх нормы"]
            rating = [[c.value for c in row] for row in book["Рейтинг"].iter_rows()]
            assert rating[0][:3] == ["Место", "Организация", "Балл"]
            assert [1, city.uk1.name, 63.4] in [r[:3] for r in rating]
            head_mail, = smtp.mails_to("head@uk1.example")
            _, own = _workbook(head_mail)
            names = {row[1] for row in own["Рейтинг"].iter_rows(min_row=2, values_only=True)}
            assert names == {city.uk1.name}
            assert send_weekly_digest(WEEK) == 0 and len(smtp.mails) == 2  # once per week
            db.session.remove()


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
