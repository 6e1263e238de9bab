"""Public answers at ЦУР pace: the first answer deadline from social_answer.dmn in working hours, tracked,
reminded at 75 %, escalated at its end, closed by an interim answer, and shown on the coordinator's screens."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import SURE, UNSURE, key, poll, post_by_key, wall_source
from tests.web.helpers import csrf_token, login
from workflows.accounts.service import create_user
from workflows.appeals.models import AppealEvent
from workflows.clock import FakeClock
from workflows.db import db
from workflows.errors import Conflict
from workflows.runtime.definitions import deploy
from workflows.social_intake import moderation
from workflows.social_intake.answer_desk import answer_post, answers_board
from workflows.social_intake.answers import SHIPPED, answer_terms, first_answer_due, sweep_answers
from workflows.social_intake.sources import update_source

MONDAY_NOON = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # 12:00 in Tambov; Wednesday 4 November is a holiday


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    return {"SOCIAL_MODEL_FILE": str(tmp_path / "social_model.json")}  # never the developer's instance/ model


@pytest.fixture
def app(db_app: Flask) -> Flask:
    """Both databases for these tests: the shared db_app, under the name the package's fixtures take."""
    return db_app


def _events(appeal_id: int, kind: str) -> list[AppealEvent]:
    return list(db.session.scalars(select(AppealEvent).where(AppealEvent.appeal_id == appeal_id,
                                                             AppealEvent.kind == kind)))


def test_the_table_gives_eight_working_hours_and_four_for_an_emergency(app: Flask) -> None:
    assert answer_terms("heating", False) == {"first_answer_within": "PT8H", "hours": "working"}
    assert answer_terms("gas", True) == {"first_answer_within": "PT4H", "hours": "working"}
    # 12:00 Monday + 8 working hours (09:00-18:00) = Tuesday 11:00; Friday 16:00 + 8 h = Monday 15:00
    assert first_answer_due(MONDAY_NOON, "heating", False) == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    assert first_answer_due(MONDAY_NOON, "heating", True) == datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
    friday = datetime(2026, 11, 6, 13, 0, tzinfo=UTC)
    assert first_answer_due(friday, "yard", False) == datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
    # Tuesday 17:00 + 8 h skips the 4 November holiday: Thursday 16:00
    tuesday = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)
    assert first_answer_due(tuesday, "yard", False) == datetime(2026, 11, 5, 13, 0, tzinfo=UTC)


def test_a_deployed_table_changes_the_deadline(app: Flask) -> None:
    content = SHIPPED.read_bytes().replace(b'"PT8H"', b'"PT2H"')
    deploy([("social_answer.dmn", content)])
    assert answer_terms("yard", False)["first_answer_within"] == "PT2H"
    assert first_answer_due(MONDAY_NOON, "yard", False) == MONDAY_NOON + timedelta(hours=2)


def test_a_post_taken_into_work_is_reminded_then_escalated_until_answered(
        city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    raw = vk.add_post(GROUP, SURE)  # hot water, an emergency: 4 working hours
    poll(wall_source())
    post = post_by_key(key(raw))
    assert post.status == "appealed" and post.taken_at == MONDAY_NOON
    assert post.answer_due_at == MONDAY_NOON + timedelta(hours=4)
    assert sweep_answers() == {"reminded": 0, "escalated": 0}
    clock.advance(timedelta(hours=3))  # 75 % of the time
    assert sweep_answers() == {"reminded": 1, "escalated": 0}
    assert sweep_answers() == {"reminded": 0, "escalated": 0}  # once
    clock.advance(timedelta(hours=1))
    assert sweep_answers() == {"reminded": 0, "escalated": 1}
    assert sweep_answers() == {"reminded": 0, "escalated": 0}
    assert post.appeal_id is not None
    assert len(_events(post.appeal_id, "social_answer_reminder")) == 1
    [overdue] = _events(post.appeal_id, "social_answer_overdue")
    assert overdue.data == {"due_at": "2026-11-02T13:00:00+00:00", "roles": "coordinator official"}
    assert [row.state for row in answers_board()] == ["overdue"]


def test_an_interim_answer_stops_the_clock_and_the_final_one_closes_the_board(
        city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    raw = vk.add_post(GROUP, SURE)
    poll(wall_source())
    post = post_by_key(key(raw))
    user = create_user("coord", "coordinator", city.cgds.id, "Correct-horse-1")
    clock.advance(timedelta(hours=1))
    assert answer_post(post.id, user, "interim", "Обращение принято в работу") is False  # replies not enabled
    assert (post.first_answer_kind, post.first_answer_at) == ("interim", MONDAY_NOON + timedelta(hours=1))
    with pytest.raises(Conflict):
        answer_post(post.id, user, "interim", "ещё раз")
    clock.advance(timedelta(hours=5))
    assert sweep_answers() == {"reminded": 0, "escalated": 0}  # answered in time: nothing to escalate
    assert [row.state for row in answers_board()] == ["interim"]
    update_source(post.source_id, {"reply_enabled": True}, create_user("root", "admin", None, "Correct-horse-1"))
    assert answer_post(post.id, user, "final", "Горячую воду дали") is True
    assert vk.created_comments[-1]["message"] == "Горячую воду дали"
    assert answers_board() == []
    assert post.appeal_id is not None
    [interim] = _events(post.appeal_id, "social_answer_interim")
    assert interim.data is not None and interim.data["on_time"] is True


def test_a_post_confirmed_from_the_queue_starts_the_clock_then(city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    raw = vk.add_post(GROUP, UNSURE)
    poll(wall_source())
    post = post_by_key(key(raw))
    assert post.status == "queued" and post.answer_due_at is None
    user = create_user("cgds1", "dispatcher", city.cgds.id, "Correct-horse-1")
    clock.advance(timedelta(hours=2))
    moderation.correct(post.id, user, city.michurinskaya_112.id, "electricity")
    assert post.taken_at == MONDAY_NOON + timedelta(hours=2)
    assert post.answer_due_at == datetime(2026, 11, 3, 10, 0, tzinfo=UTC)  # 14:00 + 8 working h = Tue 13:00


def test_the_coordinator_sees_the_deadlines_and_answers_from_the_card(
        app: Flask, city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    raw = vk.add_post(GROUP, SURE)
    poll(wall_source())
    post = post_by_key(key(raw))
    create_user("coord", "coordinator", city.cgds.id, "Correct-horse-1")
    client = app.test_client()
    login(client, "coord")
    clock.advance(timedelta(hours=5))
    sweep_answers()
    board = client.get("/social/answers").get_data(as_text=True)
    assert "Ответы в соцсетях" in board and 'data-state="overdue"' in board and "просрочено на 1 ч 0 мин" in board
    assert "эскалировано координатору" in board
    card = client.get(f"/social/posts/{post.id}").get_data(as_text=True)
    assert "Публичный ответ" in card and "эскалировано" in card and "Обращение принято в работу, номер" in card
    empty = client.post(f"/social/posts/{post.id}/answer", data={"csrf_token": csrf_token(card), "kind": "interim",
                                                                 "text": " "}, follow_redirects=True)
    assert "введите текст ответа" in empty.get_data(as_text=True)
    done = client.post(f"/social/posts/{post.id}/answer", data={
        "csrf_token": csrf_token(card), "kind": "interim", "text": "Принято в работу"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Промежуточный ответ отмечен как опубликованный" in page and "с опозданием" in page
