"""Inbound updates from Telegram and MAX, normalised into one ``InboundEvent`` shape.

``parse_telegram_update`` and ``parse_max_update`` return ``None`` for updates the service does not
act on (edited messages, membership changes, ...).  A shared contact only yields ``phone`` when it
is the sender's own (Telegram ``contact.user_id`` / MAX ``max_info.user_id`` equals the sender), so
nobody can register someone else's number.  MAX updates carry no id of their own: ``update_id`` is
built from the message ``mid`` or the ``callback_id``, which are unique.

The polling clients and the callback answers live in ``connectors.polling`` and are re-exported.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from connectors import phones
from connectors.polling import MaxPoller, MaxUpdates, TelegramPoller, answer_telegram_callback
from connectors.stops import MAX_STOP_TYPES, parse_max_stop, parse_telegram_stop

__all__ = [
    "InboundEvent",
    "MaxPoller",
    "MaxUpdates",
    "TelegramPoller",
    "answer_telegram_callback",
    "parse_max_update",
    "parse_telegram_update",
    "telegram_secret_ok",
]

EventKind = Literal["message", "callback", "contact", "command", "stopped"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_VCARD_TEL = re.compile(r"^TEL[^:\n]*:(.+)$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class InboundEvent:
    """One thing a person did in a messenger, whatever the channel."""

    channel: str
    update_id: str
    kind: EventKind
    chat_id: str
    user_id: str
    text: str | None
    payload: str | None  # callback payload, or the argument of a command ("/start <payload>")
    phone: str | None  # "+7...", only the sender's own number
    raw: dict[str, Any] = field(repr=False)
    callback_id: str | None = None  # to answer a callback (answerCallbackQuery / POST /answers)

    @property
    def command(self) -> str | None:
        """``"/start"`` for ``"/start@otklik_bot abc"``; ``None`` unless ``kind == "command"``."""
        if self.kind != "command" or not self.text:
            return None
        return self.text.split(maxsplit=1)[0].split("@", 1)[0].lower()

    @property
    def reply_address(self) -> str:
        """The ``OutgoingMessage.address`` that reaches this chat on the same channel."""
        if self.channel == "max":
            return f"chat:{self.chat_id}" if self.chat_id else f"user:{self.user_id}"
        return self.chat_id


def telegram_secret_ok(headers: Mapping[str, str], secret: str | None) -> bool:
    """Whether a webhook request carries our secret token (constant-time); no secret -> False."""
    if not secret:
        return False
    given = next((value for key, value in headers.items() if key.lower() == SECRET_HEADER.lower()), None)
    if given is None:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


def parse_telegram_update(update: Mapping[str, Any]) -> InboundEvent | None:
    """The event in a Telegram ``Update``; ``None`` for kinds the service ignores."""
    if "my_chat_member" in update:
        return parse_telegram_stop(update)
    update_id = str(update.get("update_id", ""))
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        return InboundEvent(
            channel="telegram",
            update_id=update_id,
            kind="callback",
            chat_id=_text_id((message.get("chat") or {}).get("id")),
            user_id=_text_id((callback.get("from") or {}).get("id")),
            text=None,
            payload=callback.get("data"),
            phone=None,
            raw=dict(update),
            callback_id=_text_id(callback.get("id")),
        )
    # Channel posts and edits carry a message too; handlers read the raw update to tell them apart.
    # A private chat's edit is ignored: it must not replay a step of a resident's conversation.
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = update.get(key)
        if not isinstance(message, dict):
            continue
        if key == "edited_message" and (message.get("chat") or {}).get("type", "private") == "private":
            return None
        return _telegram_message(update_id, message, dict(update))
    return None


def _telegram_message(update_id: str, message: dict[str, Any], raw: dict[str, Any]) -> InboundEvent:
    user_id = _text_id((message.get("from") or {}).get("id"))
    contact = message.get("contact")
    phone = None
    if isinstance(contact, dict) and _text_id(contact.get("user_id")) == user_id and user_id:
        phone = contact_phone(str(contact.get("phone_number", "")))
    text = message.get("text") or message.get("caption")
    kind, payload = _kind_and_payload(text, is_contact=isinstance(contact, dict))
    return InboundEvent(
        channel="telegram",
        update_id=update_id,
        kind=kind,
        chat_id=_text_id((message.get("chat") or {}).get("id")),
        user_id=user_id,
        text=text,
        payload=payload,
        phone=phone,
        raw=raw,
    )


def parse_max_update(update: Mapping[str, Any]) -> InboundEvent | None:
    """The event in a MAX update (``message_created``, ``message_callback``, ``bot_started``, stops)."""
    update_type = update.get("update_type")
    if update_type in MAX_STOP_TYPES:
        return parse_max_stop(update)
    if update_type == "message_created" and isinstance(update.get("message"), dict):
        return _max_message(dict(update))
    if update_type == "message_callback" and isinstance(update.get("callback"), dict):
        return _max_callback(dict(update))
    if update_type == "bot_started":
        user_id = _text_id((update.get("user") or {}).get("user_id"))
        chat_id = _text_id(update.get("chat_id"))
        return InboundEvent(
            channel="max",
            update_id=f"bot_started:{chat_id}:{user_id}:{update.get('timestamp', '')}",
            kind="command",
            chat_id=chat_id,
            user_id=user_id,
            text="/start",
            payload=update.get("payload"),
            phone=None,
            raw=dict(update),
        )
    return None


def _max_message(update: dict[str, Any]) -> InboundEvent:
    message = update["message"]
    body = message.get("body") or {}
    user_id = _text_id((message.get("sender") or {}).get("user_id"))
    contact = next((a for a in body.get("attachments") or [] if a.get("type") == "contact"), None)
    phone = _max_contact_phone(contact, user_id) if contact else None
    text = body.get("text") or None
    kind, payload = _kind_and_payload(text, is_contact=contact is not None)
    return InboundEvent(
        channel="max",
        update_id=f"message_created:{body.get('mid', '')}",
        kind=kind,
        chat_id=_text_id((message.get("recipient") or {}).get("chat_id")),
        user_id=user_id,
        text=text,
        payload=payload,
        phone=phone,
        raw=update,
    )


def _max_callback(update: dict[str, Any]) -> InboundEvent:
    callback = update["callback"]
    message = update.get("message") or {}
    callback_id = _text_id(callback.get("callback_id"))
    return InboundEvent(
        channel="max",
        update_id=f"message_callback:{callback_id}",
        kind="callback",
        chat_id=_text_id((message.get("recipient") or {}).get("chat_id")),
        user_id=_text_id((callback.get("user") or {}).get("user_id")),
        text=None,
        payload=callback.get("payload"),
        phone=None,
        raw=update,
        callback_id=callback_id,
    )


def _max_contact_phone(contact: dict[str, Any], sender_id: str) -> str | None:
    payload = contact.get("payload") or {}
    owner = _text_id((payload.get("max_info") or {}).get("user_id"))
    if not sender_id or owner != sender_id:
        return None
    match = _VCARD_TEL.search(str(payload.get("vcf_info") or ""))
    return contact_phone(match.group(1)) if match else None


def _kind_and_payload(text: str | None, is_contact: bool) -> tuple[EventKind, str | None]:
    if is_contact:
        return "contact", None
    if text and text.startswith("/"):
        parts = text.split(maxsplit=1)
        return "command", parts[1].strip() if len(parts) > 1 else None
    return "message", None


def contact_phone(value: str) -> str | None:
    """E.164 of a messenger's shared contact, read as every other phone is (a Russian number however
    written); what cannot be Russian is international without its plus (Telegram sends «375291234567»)."""
    text = value.strip()
    return phones.e164(text) or (phones.e164("+" + text) if text[:1].isdigit() else None)


def _text_id(value: Any) -> str:
    return "" if value is None else str(value)
