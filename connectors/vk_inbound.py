"""VK Callback API: the events VK POSTs to the service, and the answer to a pressed callback button.

VK sends ``{"type", "group_id", "event_id", "secret", "object", "v"}``; ``confirmation`` asks for the
community's confirmation string, every other type must be answered with the plain text ``ok`` (or VK
sends it again).  ``message_new`` is a message to the community (``object.message``: ``peer_id``,
``from_id``, ``text``; ``ref`` when the person came by a ``vk.me/<group>?ref=<token>`` link, which we read
as ``/start <token>``); ``message_event`` is a pressed callback button (``object``: ``user_id``,
``peer_id``, ``event_id``, ``payload``), answered with ``messages.sendMessageEventAnswer``.
``update_id`` is ``<type>:<event_id>``, so an event VK repeats is recognised.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Any

from connectors import settings as cfg
from connectors.inbound import InboundEvent, _kind_and_payload
from connectors.vk_api import DEFAULT_API_URL, VkApi

SNACKBAR_LIMIT = 90  # characters VK shows in a snackbar
START_PAYLOADS = ('{"command":"start"}', '{"command": "start"}')  # VK's own «Начать» button


def secret_ok(body: Mapping[str, Any], secret: str) -> bool:
    """Whether the event carries the community's ``secret_key`` (constant-time); no secret -> False."""
    given = body.get("secret")
    return bool(secret) and isinstance(given, str) and hmac.compare_digest(given.encode(), secret.encode())


def parse_vk_update(body: Mapping[str, Any]) -> InboundEvent | None:
    """The event in a Callback API request; ``None`` for types the service does not act on."""
    kind, obj = body.get("type"), body.get("object")
    if not isinstance(obj, dict):
        return None
    if kind == "message_new" and isinstance(obj.get("message"), dict):
        return _message(body, obj["message"])
    if kind == "message_event":
        return _button(body, obj)
    return None


def _event_id(body: Mapping[str, Any], fallback: str) -> str:
    return f"{body.get('type')}:{body.get('event_id') or fallback}"


def _message(body: Mapping[str, Any], message: dict[str, Any]) -> InboundEvent:
    text = str(message.get("text") or "") or None
    ref, payload = message.get("ref"), message.get("payload")
    if ref or payload in START_PAYLOADS:
        kind, argument, text = "command", (str(ref) if ref else None), f"/start {ref}" if ref else "/start"
    else:
        kind, argument = _kind_and_payload(text, is_contact=False)
    peer = str(message.get("peer_id") or "")
    return InboundEvent(
        channel="vk",
        update_id=_event_id(body, f"{peer}:{message.get('conversation_message_id') or message.get('id')}"),
        kind=kind,  # type: ignore[arg-type]  # one of the EventKind literals
        chat_id=peer,
        user_id=str(message.get("from_id") or ""),
        text=text,
        payload=argument,
        phone=None,
        raw=dict(body),
    )


def _button(body: Mapping[str, Any], obj: dict[str, Any]) -> InboundEvent:
    payload = obj.get("payload")
    if isinstance(payload, str):  # some clients send the JSON as a string
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = {"payload": payload}
    inner = payload.get("payload") if isinstance(payload, dict) else None
    return InboundEvent(
        channel="vk",
        update_id=_event_id(body, str(obj.get("event_id") or "")),
        kind="callback",
        chat_id=str(obj.get("peer_id") or ""),
        user_id=str(obj.get("user_id") or ""),
        text=None,
        payload=str(inner) if inner is not None else None,
        phone=None,
        raw=dict(body),
        callback_id=str(obj.get("event_id") or "") or None,
    )


def answer_vk_event(settings: Mapping[str, Any], event: InboundEvent, text: str | None) -> None:
    """``messages.sendMessageEventAnswer``: stop the button's spinner, show ``text`` as a snackbar."""
    api = VkApi(cfg.required(settings, "vk", "VK_TOKEN"), cfg.base_url(settings, "VK_API_URL", DEFAULT_API_URL),
                cfg.seconds(settings, "VK_TIMEOUT"))
    params: dict[str, Any] = {"event_id": event.callback_id, "user_id": event.user_id, "peer_id": event.chat_id}
    if text:
        params["event_data"] = json.dumps({"type": "show_snackbar", "text": text[:SNACKBAR_LIMIT]}, ensure_ascii=False)
    try:
        api.call("messages.sendMessageEventAnswer", params)
    finally:
        api.close()
