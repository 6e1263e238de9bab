"""Finding the resident's chat, answering in it through the outbox, reading photos from updates."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from connectors import Button
from connectors.inbound import InboundEvent
from workflows import citytime, clock
from workflows.db import db
from workflows.delivery import enqueue
from workflows.residents.models import ResidentChat

CHANNELS = ("telegram", "max", "vk")
VK_CHAT_PEERS = 2_000_000_000  # VK peer ids of community chats start here; below are people


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def recipient_key(channel: str, chat_id: str) -> str:
    return f"resident:{channel}:{chat_id}"


def _find(channel: str, chat_id: str) -> ResidentChat | None:
    found: ResidentChat | None = db.session.scalar(
        select(ResidentChat).where(ResidentChat.channel == channel, ResidentChat.chat_id == chat_id))
    return found


def load_chat(event: InboundEvent) -> ResidentChat:
    """The chat of the event's sender, created on first contact."""
    address = event.reply_address
    chat = _find(event.channel, address)
    if chat is not None:
        return chat
    chat = ResidentChat(channel=event.channel, chat_id=address, user_id=event.user_id, state="idle", data={},
                        created_at=clock.now(), updated_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(chat)
    except IntegrityError:  # the same chat's first two updates handled at once
        raced = _find(event.channel, address)
        if raced is None:
            raise
        return raced
    return chat


def move(chat: ResidentChat, state: str, **data: Any) -> None:
    """Go to `state`, merging `data` into what the conversation knows (None removes a key)."""
    merged = {**(chat.data or {}), **data}
    chat.data = {k: v for k, v in merged.items() if v is not None}
    chat.state = state
    chat.updated_at = clock.now()


def say(chat: ResidentChat, event: InboundEvent, replies: Sequence[Reply]) -> None:
    """Queue the replies to the chat (urgent: a conversation does not wait for quiet hours to end).

    Texts without buttons are joined to the next reply: one message per step where possible.
    """
    for number, reply in enumerate(_joined(replies)):
        enqueue(f"bot:{event.update_id}:{number}", recipient_key(chat.channel, chat.chat_id), chat.channel,
                chat.chat_id, reply.text, buttons=reply.buttons, urgent=True)


def _joined(replies: Sequence[Reply]) -> list[Reply]:
    joined: list[Reply] = []
    pending: list[str] = []
    for reply in replies:
        if not reply.buttons and reply is not replies[-1]:
            pending.append(reply.text)
            continue
        joined.append(Reply("\n\n".join([*pending, reply.text]), reply.buttons))
        pending = []
    return joined


def photo_ref(event: InboundEvent) -> str | None:
    """A reference to the largest photo in the update ("telegram:<file_id>", "max:<url or token>")."""
    raw = event.raw or {}
    if event.channel == "telegram":
        sizes = (raw.get("message") or {}).get("photo") or []
        return f"telegram:{sizes[-1].get('file_id')}" if sizes and isinstance(sizes[-1], dict) else None
    if event.channel == "vk":
        return None  # VK photos are not fetched yet: the words of the appeal still arrive
    body = ((raw.get("message") or {}).get("body") or {})
    for attachment in body.get("attachments") or []:
        if isinstance(attachment, dict) and attachment.get("type") == "image":
            payload = attachment.get("payload") or {}
            return f"max:{payload.get('url') or payload.get('token') or ''}"
    return None


def local_time(moment: datetime) -> str:
    """"18:00" today, else "05.12 18:00", in the city's time."""
    return citytime.short_text(moment, clock.now())


def is_private(event: InboundEvent) -> bool:
    """A one-to-one chat with the bot: the bot never talks in building or city group chats."""
    raw = event.raw or {}
    if event.channel == "telegram":
        message = raw.get("message") or (raw.get("callback_query") or {}).get("message") or {}
        return (message.get("chat") or {}).get("type") == "private"
    if event.channel == "vk":
        return event.chat_id.isdigit() and int(event.chat_id) < VK_CHAT_PEERS
    if raw.get("update_type") == "bot_started":
        return True
    recipient = (raw.get("message") or {}).get("recipient") or {}
    return recipient.get("chat_type") == "dialog"
