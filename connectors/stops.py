"""Updates that say a person or a chat can no longer be reached: the bot was stopped or removed.

MAX: ``bot_stopped`` (the user stopped the bot), ``dialog_removed`` (the user deleted the dialog),
``bot_removed`` (the bot was removed from a chat) and ``user_removed`` when the removed user is a bot
(ours: no one else's removal concerns us).  Telegram: ``my_chat_member`` whose new status is ``kicked``
(blocked in a private chat, or banned from a group) or ``left``.  Each becomes an ``InboundEvent`` of kind
``"stopped"``; ``addresses`` lists every way the service may have written that recipient down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectors.inbound import InboundEvent

MAX_STOP_TYPES = ("bot_stopped", "dialog_removed", "bot_removed", "user_removed")
TELEGRAM_GONE = ("kicked", "left")


def _text_id(value: Any) -> str:
    return "" if value is None else str(value)


def parse_max_stop(update: Mapping[str, Any]) -> InboundEvent | None:
    """The "stopped" event of a MAX stop/removal update; ``None`` for someone else's removal."""
    from connectors.inbound import InboundEvent

    update_type = str(update.get("update_type") or "")
    user = update.get("user") or {}
    if update_type not in MAX_STOP_TYPES or (update_type == "user_removed" and not user.get("is_bot")):
        return None
    chat_id, user_id = _text_id(update.get("chat_id")), _text_id(user.get("user_id"))
    in_group = update_type in ("bot_removed", "user_removed")
    return InboundEvent(
        channel="max",
        update_id=f"{update_type}:{chat_id}:{user_id}:{update.get('timestamp', '')}",
        kind="stopped",
        chat_id=chat_id,
        user_id="" if in_group else user_id,  # a removed bot is not a person we wrote to
        text=update_type,
        payload=None,
        phone=None,
        raw=dict(update),
    )


def parse_telegram_stop(update: Mapping[str, Any]) -> InboundEvent | None:
    """The "stopped" event of a Telegram ``my_chat_member`` update that shuts us out."""
    from connectors.inbound import InboundEvent

    member = update.get("my_chat_member")
    if not isinstance(member, dict):
        return None
    status = str((member.get("new_chat_member") or {}).get("status") or "")
    if status not in TELEGRAM_GONE:
        return None
    chat = member.get("chat") or {}
    return InboundEvent(
        channel="telegram",
        update_id=_text_id(update.get("update_id")),
        kind="stopped",
        chat_id=_text_id(chat.get("id")),
        user_id=_text_id((member.get("from") or {}).get("id")) if chat.get("type") == "private" else "",
        text=status,
        payload=None,
        phone=None,
        raw=dict(update),
    )


def addresses(event: InboundEvent) -> list[str]:
    """Every address the service may hold for the recipient of a "stopped" event on its channel."""
    found: list[str] = []
    if event.channel == "max":
        if event.chat_id:
            found.append(f"chat:{event.chat_id}")
        if event.user_id:
            found += [f"user:{event.user_id}", event.user_id]
    elif event.chat_id:
        found.append(event.chat_id)
    return found
