"""The dispatcher in the loop: sure posts become appeals, unsure ones wait for ЦГДС, the rest is dropped."""
from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import ADVERT, SURE, UNSURE, key, poll, post_by_key, wall_source
from tests.web.helpers import csrf_token, login
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import Conflict
from workflows.social_intake import moderation
from workflows.social_intake.models import SocialExample


def _dispatcher(city: City) -> User:
    return create_user("cgds1", "dispatcher", city.cgds.id, "Correct-horse-1")


def _examples() -> list[SocialExample]:
    return list(db.session.scalars(select(SocialExample).order_by(SocialExample.id)))


def test_a_sure_post_becomes_an_appeal_linked_to_the_post(city: City, vk: FakeVkWall) -> None:
    post = vk.add_post(GROUP, SURE)
    poll(wall_source())
    stored = post_by_key(key(post))
    assert (stored.level, stored.status) == ("high", "appealed")
    appeal = db.session.get(Appeal, stored.appeal_id)
    assert appeal is not None and appeal.channel == "vk" and appeal.external_id == key(post)
    assert appeal.source_url == f"https://vk.com/wall{GROUP}_{post['id']}"
    assert appeal.building_id == city.sovetskaya_45.id and appeal.category == "hot_water"
    assert appeal.applicant_name is None and appeal.applicant_phone is None


def test_a_second_sure_post_about_the_same_building_joins_the_open_incident(city: City, vk: FakeVkWall) -> None:
    first = vk.add_post(GROUP, SURE)
    second = vk.add_post(GROUP, "Советская 45 — горячей воды нет уже третьи сутки, когда дадут?")
    poll(wall_source())
    one, two = (db.session.get(Appeal, post_by_key(key(p)).appeal_id) for p in (first, second))
    assert one is not None and two is not None and one.id != two.id
    assert two.incident_id is not None and two.incident_id == one.incident_id


def test_an_unsure_post_waits_in_the_queue_and_confirm_creates_the_appeal(city: City, vk: FakeVkWall) -> None:
    post = vk.add_post(GROUP, UNSURE)
    poll(wall_source())
    stored = post_by_key(key(post))
    assert (stored.level, stored.status) == ("medium", "queued")
    assert [p.id for p in moderation.list_posts()[0]] == [stored.id]
    user = _dispatcher(city)
    appeal = db.session.get(Appeal, moderation.confirm(stored.id, user))
    assert appeal is not None and appeal.building_id == city.michurinskaya_112.id and appeal.channel == "vk"
    assert post_by_key(key(post)).status == "appealed"
    assert [(e.action, e.is_complaint, e.category) for e in _examples()] == [("confirm", True, "electricity")]
    with pytest.raises(Conflict):
        moderation.dismiss(stored.id, user)


def test_correct_chooses_building_and_category_and_dismiss_drops(city: City, vk: FakeVkWall) -> None:
    one, two = vk.add_post(GROUP, UNSURE), vk.add_post(GROUP, UNSURE + " и во втором подъезде")
    poll(wall_source())
    user = _dispatcher(city)
    appeal_id = moderation.correct(post_by_key(key(one)).id, user, None, "entrance", address="Советская 47")
    appeal = db.session.get(Appeal, appeal_id)
    assert appeal is not None and (appeal.building_id, appeal.category) == (city.sovetskaya_47.id, "entrance")
    moderation.dismiss(post_by_key(key(two)).id, user)
    assert post_by_key(key(two)).status == "dismissed" and post_by_key(key(two)).appeal_id is None
    assert [(e.action, e.is_complaint, e.category, e.building_id) for e in _examples()] == [
        ("correct", True, "entrance", city.sovetskaya_47.id), ("dismiss", False, None, None)]


def test_a_comment_without_an_address_inherits_its_posts(city: City, vk: FakeVkWall) -> None:
    post = vk.add_post(GROUP, SURE)
    comment = vk.add_comment(post, 77, "У нас тоже нет горячей воды уже три дня")
    poll(wall_source())
    stored = post_by_key(f"{key(post)}_r{comment['id']}")
    assert stored.building_id == city.sovetskaya_45.id and stored.inherited
    assert stored.category == "hot_water" and stored.status == "queued"  # an inherited address is never "sure"
    appeal = db.session.get(Appeal, moderation.confirm(stored.id, _dispatcher(city)))
    assert appeal is not None and appeal.building_id == city.sovetskaya_45.id
    assert appeal.source_url == f"https://vk.com/wall{GROUP}_{post['id']}?reply={comment['id']}"


@pytest.mark.parametrize(("rate", "kept"), [(1.0, True), (0.0, False)])
def test_a_low_post_is_dropped_and_a_sample_kept_for_spot_checks(app: Flask, city: City, vk: FakeVkWall,
                                                                 rate: float, kept: bool) -> None:
    app.config["SOCIAL_SPOT_CHECK_RATE"] = rate
    post = vk.add_post(GROUP, ADVERT)
    poll(wall_source())
    stored = post_by_key(key(post))
    assert (stored.level, stored.status, stored.spot_check) == ("low", "dropped", kept)
    assert [p.id for p in moderation.list_posts("spot")[0]] == ([stored.id] if kept else [])


def test_the_queue_screens_confirm_correct_and_dismiss_with_csrf(app: Flask, city: City, vk: FakeVkWall) -> None:
    posts = [vk.add_post(GROUP, f"<b>{n}</b> " + UNSURE) for n in range(3)]
    poll(wall_source())
    _dispatcher(city)
    client = app.test_client()
    login(client, "cgds1")
    queue = client.get("/social/queue").get_data(as_text=True)
    assert queue.count("Подтвердить") == 3 and "<b>0</b>" not in queue
    ids = [post_by_key(key(p)).id for p in posts]
    card = client.get(f"/social/posts/{ids[0]}").get_data(as_text=True)
    assert "&lt;b&gt;0&lt;/b&gt;" in card and "<mark>Мичуринской 112</mark>" in card
    assert "ул. Мичуринская, д. 112" in card and "Электроснабжение" in card
    token = csrf_token(card)
    assert client.post(f"/social/posts/{ids[0]}/confirm").status_code == 400  # no CSRF token
    assert client.post(f"/social/posts/{ids[0]}/confirm", data={"csrf_token": token}).status_code == 302
    answer = client.post(f"/social/posts/{ids[1]}/correct", data={
        "csrf_token": token, "building_id": str(city.sovetskaya_45.id), "category": "entrance"})
    assert answer.status_code == 302
    assert client.post(f"/social/posts/{ids[2]}/dismiss", data={"csrf_token": token}).status_code == 302
    assert [post_by_key(key(p)).status for p in posts] == ["appealed", "appealed", "dismissed"]
    corrected = db.session.get(Appeal, post_by_key(key(posts[1])).appeal_id)
    assert corrected is not None and (corrected.building_id, corrected.category) == (city.sovetskaya_45.id, "entrance")
    bad = client.post(f"/social/posts/{ids[2]}/correct", data={"csrf_token": token, "building_id": "x"})
    assert bad.status_code == 302  # refused with a message, never a 500
    assert "уже принято решение" in client.get(f"/social/posts/{ids[2]}").get_data(as_text=True)


def test_screens_keep_roles_apart(app: Flask, city: City) -> None:
    create_user("staff", "org_staff", city.uk1.id, "Correct-horse-1")
    client = app.test_client()
    login(client, "staff")
    assert client.get("/social/queue").status_code == 403
    assert client.get("/social/sources").status_code == 403
