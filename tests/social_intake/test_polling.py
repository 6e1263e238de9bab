"""Polling VK sources: each post stored once with a cursor, edits and deletions noticed, own schedules."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import ADVERT, SURE, key, poll, post_by_key, wall_source
from workflows.clock import FakeClock
from workflows.db import db
from workflows.social_intake.models import SocialPost, SocialRevision, SocialSource
from workflows.social_intake.polling import poll_due_sources
from workflows.social_intake.sources import create_source


def _count() -> int:
    return int(db.session.scalar(select(func.count(SocialPost.id))) or 0)


def test_polling_a_wall_stores_each_post_and_comment_once_and_moves_the_cursor(
        city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    first = vk.add_post(GROUP, ADVERT, date=1_700_000_000)
    second = vk.add_post(GROUP, SURE, date=1_700_000_100)
    vk.add_comment(second, 55, "Подтверждаю, у соседей то же самое", date=1_700_000_200)
    vk.add_post(-2002, "чужая группа: нет света на Советской 47")
    source = wall_source(interval=15)
    assert poll(source) == {"posts": 2, "comments": 1, "deleted": 0}
    assert poll(source) == {"posts": 0, "comments": 0, "deleted": 0}
    assert _count() == 3
    db.session.expire_all()
    stored = db.session.get(SocialSource, source.id)
    assert stored is not None and stored.cursor == {"newest_id": second["id"]}
    assert stored.next_poll_at == clock.now() + timedelta(minutes=15) and stored.last_error is None
    post = post_by_key(key(second))
    assert post.url == f"https://vk.com/wall{GROUP}_{second['id']}" and post.kind == "post"
    comment = post_by_key(f"{key(second)}_r{second['id'] + 1}")
    assert comment.kind == "comment" and comment.parent_id == post.id
    assert post_by_key(key(first)).status == "dropped"


def test_an_edit_is_reanalysed_and_the_old_text_kept(city: City, vk: FakeVkWall) -> None:
    post = vk.add_post(GROUP, ADVERT)
    source = wall_source()
    poll(source)
    assert post_by_key(key(post)).status == "dropped"
    vk.edit_post(post, SURE)
    assert poll(source)["posts"] == 1
    stored = post_by_key(key(post))
    assert stored.text == SURE and stored.edited_at is not None
    assert stored.is_complaint and stored.category == "hot_water" and stored.status == "appealed"
    assert [r.text for r in db.session.scalars(select(SocialRevision).where(SocialRevision.post_id == stored.id))] \
        == [ADVERT]
    assert _count() == 1


def test_a_deleted_post_and_a_deleted_comment_are_noticed(city: City, vk: FakeVkWall) -> None:
    kept = vk.add_post(GROUP, "Всем доброе утро!")
    gone = vk.add_post(GROUP, ADVERT)
    comment = vk.add_comment(kept, 7, "И вам доброе")
    source = wall_source()
    poll(source)
    vk.delete_post(gone)
    vk.delete_comment(comment)
    assert poll(source)["deleted"] == 2
    assert post_by_key(key(gone)).deleted_at is not None
    assert post_by_key(f"{key(kept)}_r{comment['id']}").deleted_at is not None
    assert post_by_key(key(kept)).deleted_at is None
    assert poll(source)["deleted"] == 0  # noticed once


def test_each_source_is_polled_on_its_own_schedule(city: City, vk: FakeVkWall, clock: FakeClock) -> None:
    often, rarely = wall_source(interval=5), wall_source(interval=60, target=-3003)
    assert poll_due_sources() == 2
    clock.advance(timedelta(minutes=6))
    assert poll_due_sources() == 1
    db.session.expire_all()
    polled = {s.id: s.last_polled_at for s in db.session.scalars(select(SocialSource))}
    assert polled[often.id] == clock.now() and polled[rarely.id] == clock.now() - timedelta(minutes=6)


def test_a_keyword_search_source_stores_found_posts_with_a_time_cursor(city: City, vk: FakeVkWall) -> None:
    found = vk.add_post(-4004, "Советская 47: течёт крыша над кухней, просим разобраться", date=1_700_000_500)
    vk.add_post(-4004, "Продам велосипед", date=1_700_000_600)
    source = create_source({"kind": "vk_search", "target": "советская", "interval_minutes": 10})
    assert poll(source)["posts"] == 1
    db.session.expire_all()
    assert db.session.get(SocialSource, source.id).cursor == {"newest_date": 1_700_000_500}  # type: ignore[union-attr]
    assert post_by_key(key(found)).network == "vk"


def test_a_failing_source_records_the_error_and_backs_off(app: Flask, city: City, vk: FakeVkWall,
                                                          clock: FakeClock) -> None:
    app.config["VK_TOKEN"] = "wrong"
    source = wall_source()
    answer = poll(source)
    assert "error" in answer
    db.session.expire_all()
    stored = db.session.get(SocialSource, source.id)
    assert stored is not None and "VK error 5" in (stored.last_error or "")
    assert stored.next_poll_at is not None and stored.next_poll_at > clock.now()
