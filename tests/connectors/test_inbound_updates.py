"""Inbound updates: parsing Telegram and MAX updates, long polling and callback answers."""

from __future__ import annotations

import pytest

from connectors import AuthenticationFailed
from connectors.inbound import (
    MaxPoller,
    TelegramPoller,
    answer_telegram_callback,
    parse_max_update,
    parse_telegram_update,
    telegram_secret_ok,
)
from tests.fakes import FakeMax, FakeTelegram


def test_telegram_text_message(fake_telegram: FakeTelegram):
    update = fake_telegram.push_message(1001, "Нет воды", user_id=1001)
    event = parse_telegram_update(update)
    assert event is not None
    assert (event.channel, event.kind, event.chat_id, event.user_id, event.text) == (
        "telegram",
        "message",
        "1001",
        "1001",
        "Нет воды",
    )
    assert event.update_id == str(update["update_id"])
    assert event.payload is None and event.phone is None
    assert event.reply_address == "1001"


def test_telegram_start_command_with_deep_link(fake_telegram: FakeTelegram):
    event = parse_telegram_update(fake_telegram.push_message(-100500, "/start@otklik_bot b-42", user_id=7))
    assert event is not None
    assert (event.kind, event.command, event.payload, event.chat_id) == ("command", "/start", "b-42", "-100500")


def test_telegram_callback(fake_telegram: FakeTelegram):
    event = parse_telegram_update(fake_telegram.push_callback(1001, "ack:17", user_id=1001))
    assert event is not None
    assert (event.kind, event.payload, event.chat_id, event.user_id) == ("callback", "ack:17", "1001", "1001")
    assert event.callback_id and event.callback_id.startswith("cbq")


def test_telegram_own_contact_gives_the_phone(fake_telegram: FakeTelegram):
    event = parse_telegram_update(fake_telegram.push_contact(1001, "79001234567"))
    assert event is not None
    assert (event.kind, event.phone) == ("contact", "+79001234567")


def test_telegram_someone_elses_contact_gives_no_phone(fake_telegram: FakeTelegram):
    event = parse_telegram_update(fake_telegram.push_contact(1001, "+79009999999", contact_user_id=555))
    assert event is not None
    assert (event.kind, event.phone) == ("contact", None)


def test_telegram_updates_the_service_ignores():
    assert parse_telegram_update({"update_id": 5, "edited_message": {"text": "x"}}) is None
    assert parse_telegram_update({"update_id": 6, "my_chat_member": {}}) is None


def test_telegram_channel_posts_and_group_edits_arrive_as_messages():
    post = parse_telegram_update({"update_id": 7, "channel_post": {"text": "Нет воды", "chat": {"id": -100}}})
    assert post is not None and post.kind == "message" and "channel_post" in post.raw
    edit = parse_telegram_update({"update_id": 8, "edited_message": {
        "text": "Нет воды на Советской 45", "chat": {"id": -200, "type": "supergroup"}}})
    assert edit is not None and edit.chat_id == "-200" and "edited_message" in edit.raw


def test_max_text_message(fake_max: FakeMax):
    event = parse_max_update(fake_max.push_message(301, "Нет света", chat_id=-7001))
    assert event is not None
    assert (event.channel, event.kind, event.chat_id, event.user_id, event.text) == (
        "max",
        "message",
        "-7001",
        "301",
        "Нет света",
    )
    assert event.update_id.startswith("message_created:mid.")
    assert event.reply_address == "chat:-7001"


def test_max_command_callback_and_bot_started(fake_max: FakeMax):
    command = parse_max_update(fake_max.push_message(301, "/start b-42"))
    callback = parse_max_update(fake_max.push_callback(301, "ack:5"))
    started = parse_max_update(
        {"update_type": "bot_started", "chat_id": -9001, "user": {"user_id": 301}, "payload": "b-42", "timestamp": 1}
    )
    assert command is not None and (command.kind, command.payload) == ("command", "b-42")
    assert callback is not None and (callback.kind, callback.payload) == ("callback", "ack:5")
    assert callback.callback_id and callback.update_id == f"message_callback:{callback.callback_id}"
    assert started is not None and (started.kind, started.command, started.payload) == ("command", "/start", "b-42")


def test_max_contact_gives_the_senders_own_phone_only(fake_max: FakeMax):
    own = parse_max_update(fake_max.push_contact(301, "+7 (900) 123-45-67"))
    foreign = parse_max_update(fake_max.push_contact(301, "+79009999999", owner_id=999))
    assert own is not None and (own.kind, own.phone) == ("contact", "+79001234567")
    assert foreign is not None and (foreign.kind, foreign.phone) == ("contact", None)


def test_max_updates_the_service_ignores():
    assert parse_max_update({"update_type": "user_added", "chat_id": 1, "user": {"user_id": 2}}) is None
    assert parse_max_update({}) is None


def test_webhook_secret_check():
    assert telegram_secret_ok({"X-Telegram-Bot-Api-Secret-Token": "s3cret"}, "s3cret")
    assert telegram_secret_ok({"x-telegram-bot-api-secret-token": "s3cret"}, "s3cret")
    assert not telegram_secret_ok({"X-Telegram-Bot-Api-Secret-Token": "guess"}, "s3cret")
    assert not telegram_secret_ok({}, "s3cret")
    assert not telegram_secret_ok({"X-Telegram-Bot-Api-Secret-Token": ""}, "")  # webhook off


def test_telegram_poller_fetches_and_confirms_with_offset(fake_telegram: FakeTelegram):
    first = fake_telegram.push_message(1, "a")
    second = fake_telegram.push_callback(1, "ack:1")
    poller = TelegramPoller(fake_telegram.token, fake_telegram.url, poll_timeout=0)
    try:
        updates = poller.fetch()
        assert [u["update_id"] for u in updates] == [first["update_id"], second["update_id"]]
        assert poller.fetch(offset=second["update_id"] + 1) == []
        third = fake_telegram.push_message(1, "b")
        assert [u["update_id"] for u in poller.fetch(offset=second["update_id"] + 1)] == [third["update_id"]]
        poller.answer_callback_query(second["callback_query"]["id"], "Спасибо")
    finally:
        poller.close()
    assert fake_telegram.answered_callbacks[0]["text"] == "Спасибо"


def test_telegram_long_poll_wakes_when_an_update_arrives(fake_telegram: FakeTelegram):
    import threading

    poller = TelegramPoller(fake_telegram.token, fake_telegram.url, poll_timeout=3)
    timer = threading.Timer(0.2, fake_telegram.push_message, args=(1, "late"))
    timer.start()
    try:
        updates = poller.fetch()
    finally:
        timer.join()
        poller.close()
    assert [u["message"]["text"] for u in updates] == ["late"]


def test_answer_telegram_callback_from_settings(fake_telegram: FakeTelegram):
    settings = {"TELEGRAM_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.url}
    answer_telegram_callback(settings, "cbq-1")
    [answered] = fake_telegram.answered_callbacks  # python-telegram-bot posts a form: values are strings
    assert (answered["callback_query_id"], str(answered["show_alert"]).lower()) == ("cbq-1", "false")


def test_telegram_poller_with_a_wrong_token_fails_authentication(fake_telegram: FakeTelegram):
    poller = TelegramPoller("1:WRONG", fake_telegram.url, poll_timeout=0)
    with pytest.raises(AuthenticationFailed):
        poller.fetch()
    poller.close()


def test_max_poller_fetches_with_markers_and_answers_callbacks(fake_max: FakeMax):
    fake_max.push_message(301, "a")
    callback = fake_max.push_callback(301, "ack:5")
    poller = MaxPoller(fake_max.token, fake_max.url, poll_timeout=0)
    try:
        batch = poller.fetch()
        assert [u["update_type"] for u in batch.updates] == ["message_created", "message_callback"]
        assert poller.fetch(batch.marker).updates == []
        fake_max.push_message(301, "b")
        assert [u["message"]["body"]["text"] for u in poller.fetch(batch.marker).updates] == ["b"]
        poller.answer_callback(callback["callback"]["callback_id"], "Спасибо")
    finally:
        poller.close()
    assert fake_max.answered_callbacks[0]["notification"] == "Спасибо"
