"""Telegram channels and groups the bot is a member of: their messages arrive through delivery's inbound path.

The "@message" handler stores a message of a chat that is a source (and passes any other message on
to the handler that was there before).  Channel posts, edits and replies are read from the raw update.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from connectors.inbound import InboundEvent
from workflows.social_intake.sources import telegram_source
from workflows.social_intake.store import Item, store_item

UPDATE_KEYS = ("channel_post", "edited_channel_post", "message", "edited_message")
Handler = Callable[[InboundEvent, str], Any]


def message_of(raw: dict[str, Any]) -> dict[str, Any] | None:
    return next((raw[key] for key in UPDATE_KEYS if isinstance(raw.get(key), dict)), None)


def message_key(chat_id: Any, message_id: Any) -> str:
    return f"tg{chat_id}_{message_id}"


def message_url(chat: dict[str, Any], message_id: Any) -> str | None:
    if chat.get("username"):
        return f"https://t.me/{chat['username']}/{message_id}"
    chat_id = str(chat.get("id", ""))
    return f"https://t.me/c/{chat_id.removeprefix('-100')}/{message_id}" if chat_id.startswith("-100") else None


def _parent_key(message: dict[str, Any]) -> str | None:
    """The channel post a discussion-group comment answers, or the group message a reply answers."""
    replied = message.get("reply_to_message")
    if not isinstance(replied, dict):
        return None
    origin = replied.get("sender_chat") or replied.get("forward_from_chat") or {}
    if replied.get("is_automatic_forward") and origin.get("id") and replied.get("forward_from_message_id"):
        return message_key(origin["id"], replied["forward_from_message_id"])
    return message_key((message.get("chat") or {}).get("id"), replied.get("message_id"))


def telegram_item(message: dict[str, Any]) -> Item:
    chat = message.get("chat") or {}
    parent = _parent_key(message)
    date = message.get("date")
    return Item("telegram", message_key(chat.get("id"), message.get("message_id")),
                str(message.get("text") or message.get("caption") or ""), message_url(chat, message.get("message_id")),
                datetime.fromtimestamp(date, UTC) if isinstance(date, int) else None,
                kind="comment" if parent else "post", parent_network_id=parent)


def store_telegram_update(raw: dict[str, Any]) -> bool:
    """Store a message of a source chat (no commit); False when the chat is no source."""
    message = message_of(raw)
    if message is None or message.get("is_automatic_forward"):
        return False  # the channel post's copy in its discussion group is the channel post itself
    source = telegram_source(str((message.get("chat") or {}).get("id", "")))
    if source is None:
        return False
    store_item(source, telegram_item(message))
    return True


def chained_handler(previous: Handler | None) -> Handler:
    """The "@message" handler: source chats are read as posts, other messages go to `previous`."""

    def handle(event: InboundEvent, argument: str) -> Any:
        if store_telegram_update(event.raw):
            return None  # nothing is said in a public chat
        return previous(event, argument) if previous is not None else None

    handle.__name__ = "social_or_previous_message_handler"
    return handle
