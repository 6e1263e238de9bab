"""The public reply once the appeal is resolved: no personal data; posted through VK when an admin enables it."""
from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import SURE, key, poll, post_by_key, wall_source
from tests.web.helpers import csrf_token, login
from workflows import clock
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import Forbidden
from workflows.social_intake import sources
from workflows.social_intake.models import SocialPost
from workflows.social_intake.replies import suggested_reply
from workflows.social_intake.sources import update_source

PERSONAL = ("Иванов", "+7900", "9001234567", "кв.", "квартир", "Анна")


def _resolved_post(vk: FakeVkWall) -> tuple[dict[str, object], SocialPost]:
    raw = vk.add_post(GROUP, SURE)
    poll(wall_source())
    post = post_by_key(key(raw))
    appeal = db.session.get(Appeal, post.appeal_id)
    assert appeal is not None
    assert suggested_reply(post) is None  # not before the appeal is resolved
    appeal.applicant_name, appeal.applicant_phone, appeal.flat = "Иванов Иван", "+79001234567", "12"
    appeal.status, appeal.resolved_at = "resolved", clock.now()
    appeal.result = "Иванову в кв. 12 заменили стояк, Анна из УК, тел. +79001234567"
    db.session.commit()
    return raw, post


def test_the_reply_suggestion_states_building_facts_only(city: City, vk: FakeVkWall) -> None:
    _, post = _resolved_post(vk)
    reply = suggested_reply(post)
    assert reply is not None and reply.startswith("Обращение по дому ул. Советская, д. 45 решено: горячее")
    assert "02.11.2026" in reply
    assert not any(word in reply for word in PERSONAL)


def test_an_admin_enables_replies_on_the_sources_screen_and_the_reply_goes_to_vk(
        app: Flask, city: City, vk: FakeVkWall) -> None:
    raw, post = _resolved_post(vk)
    create_user("root", "admin", None, "Correct-horse-1")
    client = app.test_client()
    login(client, "root")
    card = client.get(f"/social/posts/{post.id}").get_data(as_text=True)
    assert "Публикация через API выключена" in card
    token = csrf_token(card)
    refused = client.post(f"/social/posts/{post.id}/reply", data={"csrf_token": token})
    assert refused.status_code == 302 and vk.created_comments == []
    assert client.post(f"/social/sources/{post.source_id}", data={
        "csrf_token": token, "enabled": "1", "interval_minutes": "10", "reply_enabled": "1"}).status_code == 302
    assert "Опубликовать во ВКонтакте" in client.get(f"/social/posts/{post.id}").get_data(as_text=True)
    assert client.post(f"/social/posts/{post.id}/reply", data={"csrf_token": token}).status_code == 302
    client.post(f"/social/posts/{post.id}/reply", data={"csrf_token": token})  # a second click: refused
    assert len(vk.created_comments) == 1
    sent = vk.created_comments[0]
    assert (int(sent["owner_id"]), int(sent["post_id"])) == (GROUP, raw["id"])
    assert sent["message"] == suggested_reply(post_by_key(key(raw)))
    assert post_by_key(key(raw)).reply_external_id == str(sent["comment_id"])


def test_coordinators_keep_sources_but_cannot_switch_replies(app: Flask, city: City) -> None:
    create_user("coord", "coordinator", city.cgds.id, "Correct-horse-1")
    client = app.test_client()
    login(client, "coord")
    token = csrf_token(client.get("/social/sources").get_data(as_text=True))
    bad = client.post("/social/sources", data={"csrf_token": token, "kind": "vk_wall", "target": "not a number"})
    assert bad.status_code == 422 and "числовой id" in bad.get_data(as_text=True)
    made = client.post("/social/sources", data={"csrf_token": token, "kind": "vk_wall", "target": "-77",
                                                "title": "<i>Тамбов</i>", "interval_minutes": "5"})
    assert made.status_code == 302
    page = client.get("/social/sources").get_data(as_text=True)
    assert "&lt;i&gt;Тамбов&lt;/i&gt;" in page and "публиковать ответы" not in page
    assert client.post("/social/sources", data={"csrf_token": token, "kind": "vk_wall", "target": "-77"}).status_code \
        == 409  # the same source twice
    coordinator = db.session.scalar(select(User).where(User.login == "coord"))
    with pytest.raises(Forbidden):
        update_source(sources.list_sources()[0].id, {"reply_enabled": True}, coordinator)
