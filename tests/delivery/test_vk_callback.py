"""POST /webhooks/vk: VK's confirmation handshake, the secret check, and events stored once by event id."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from connectors.vk_inbound import parse_vk_update
from tests.conftest import make_app
from tests.fakes.vk_api import FakeVk
from tests.fakes.vk_callback import FakeVkCallbacks
from workflows.db import db
from workflows.delivery.models import InboundUpdate


@pytest.fixture
def app(tmp_path: Path, fake_vk: FakeVk) -> Iterator[Flask]:
    made = make_app(tmp_path, VK_API_URL=fake_vk.url, VK_TOKEN=fake_vk.token, VK_TIMEOUT=5,
                    VK_CALLBACK_SECRET="vk-secret", VK_CONFIRMATION_CODE="a1b2c3d4", VK_GROUP_ID="777")
    with made.app_context():
        yield made
        db.session.remove()


@pytest.fixture
def callbacks(app: Flask, fake_vk: FakeVk) -> FakeVkCallbacks:
    return FakeVkCallbacks(app.test_client().post, fake_vk)


def _stored() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(InboundUpdate)) or 0)


def test_the_confirmation_handshake_answers_the_code(callbacks: FakeVkCallbacks) -> None:
    assert callbacks.confirm() == "a1b2c3d4"
    other = FakeVkCallbacks(callbacks.post, group_id=999)
    assert other.confirm() != "a1b2c3d4"  # another community is refused


def test_a_wrong_secret_is_refused_and_vk_is_not_told_ok(callbacks: FakeVkCallbacks) -> None:
    status, text = callbacks.message(501, "Нет воды", secret="guess")
    assert status == 403 and "неверный секрет" in text
    assert len(callbacks.answers) == 3  # VK resends what was not answered "ok"
    assert _stored() == 0


def test_events_are_stored_once_by_event_id(callbacks: FakeVkCallbacks) -> None:
    assert callbacks.message(501, "Нет горячей воды", event_id="e-1") == (200, "ok")
    assert callbacks.message(501, "Нет горячей воды", event_id="e-1") == (200, "ok")
    assert callbacks.send("group_join", {"user_id": 501, "join_type": "join"}) == (200, "ok")  # ignored, still ok
    assert _stored() == 1


def test_the_endpoint_is_off_without_a_secret_and_bad_bodies_are_4xx(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/webhooks/vk", data="не JSON", content_type="application/json").status_code == 422
    assert client.post("/webhooks/vk", json=[1, 2]).status_code == 422
    app.config["VK_CALLBACK_SECRET"] = ""
    assert client.post("/webhooks/vk", json={"type": "confirmation", "group_id": 777}).status_code == 404


def test_a_vk_me_link_with_ref_starts_like_a_start_command() -> None:
    body = {"type": "message_new", "event_id": "e-9", "group_id": 777, "object": {"message": {
        "id": 5, "peer_id": 501, "from_id": 501, "text": "Начать", "ref": "tok-42", "ref_source": "invite"}}}
    event = parse_vk_update(body)
    assert event is not None
    assert (event.kind, event.command, event.payload, event.update_id) == ("command", "/start", "tok-42",
                                                                           "message_new:e-9")
    press = parse_vk_update({"type": "message_event", "event_id": "e-10", "object": {
        "user_id": 501, "peer_id": 501, "event_id": "b1", "payload": '{"payload": "ack:3"}'}})
    assert press is not None and (press.kind, press.payload, press.callback_id) == ("callback", "ack:3", "b1")
