"""Telegram chats that are sources: their messages arrive through delivery's inbound path."""
from __future__ import annotations

from typing import Any

from flask import Flask

from connectors.inbound import InboundEvent, parse_telegram_update
from tests.appeals.city import City
from tests.social_intake.helpers import SURE, post_by_key
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.delivery import receive_update
from workflows.delivery.connections import inbound_handlers
from workflows.social_intake.sources import create_source
from workflows.social_intake.telegram import chained_handler, store_telegram_update

CHAT = -1009876


def _group_message(message_id: int, text: str, chat: int = CHAT, **extra: Any) -> dict[str, Any]:
    return {"update_id": 500 + message_id, "message": {
        "message_id": message_id, "date": 1_700_000_000, "text": text, "from": {"id": 42, "first_name": "Анна"},
        "chat": {"id": chat, "type": "supergroup", "title": "Тамбов ЖКХ", "username": "tambov_zhkh"}, **extra}}


def test_a_group_message_of_a_source_chat_becomes_a_post_through_delivery(app: Flask, city: City) -> None:
    create_source({"kind": "telegram_chat", "target": str(CHAT), "title": "Тамбов ЖКХ"})
    assert receive_update("telegram", _group_message(1, SURE))
    post = post_by_key(f"tg{CHAT}_1")
    assert post.network == "telegram" and post.url == "https://t.me/tambov_zhkh/1"
    appeal = db.session.get(Appeal, post.appeal_id)
    assert post.status == "appealed" and appeal is not None and appeal.channel == "telegram"
    assert appeal.external_id == f"tg{CHAT}_1" and appeal.source_url == post.url


def test_channel_posts_edits_and_replies_are_read_from_the_raw_update(app: Flask, city: City) -> None:
    create_source({"kind": "telegram_chat", "target": str(CHAT)})
    channel = {"id": CHAT, "type": "channel", "title": "Тамбов ЖКХ"}
    assert store_telegram_update({"update_id": 1, "channel_post": {"message_id": 9, "date": 1, "chat": channel,
                                                                   "text": "Продам гараж"}})
    db.session.commit()
    assert store_telegram_update({"update_id": 2, "edited_channel_post": {"message_id": 9, "date": 1,
                                                                          "chat": channel, "text": SURE}})
    reply = _group_message(10, "у нас тоже нет горячей воды", reply_to_message={"message_id": 9})
    assert store_telegram_update(reply)
    db.session.commit()
    post = post_by_key(f"tg{CHAT}_9")
    assert post.text == SURE and post.edited_at is not None and post.url == "https://t.me/c/9876/9"
    comment = post_by_key(f"tg{CHAT}_10")
    assert comment.kind == "comment" and comment.parent_id == post.id


def test_other_chats_go_to_the_handler_that_was_there_before(app: Flask, city: City) -> None:
    seen: list[str] = []
    handler = chained_handler(lambda event, argument: seen.append(argument))
    event = parse_telegram_update(_group_message(3, "привет", chat=555))
    assert isinstance(event, InboundEvent)
    handler(event, "привет")
    assert seen == ["привет"]
    wired = inbound_handlers().get("@message")  # the app's table: social chats first, then the resident bot
    assert wired is not None and wired.__name__ == "social_or_previous_message_handler"
