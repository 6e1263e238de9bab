"""VK: community messages through ``messages.send``.

Addresses are ``peer_id`` numbers (a user id, ``2000000000 + n`` for a community chat).
``random_id`` is a stable 31-bit number derived from the idempotency key, so a resend of the same
notice to the same recipient is dropped by VK itself.  Buttons become an inline keyboard of
``callback`` buttons whose VK payload is the JSON ``{"payload": "<Button.payload>"}``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from connectors import settings as cfg
from connectors.base import CONTACT_REQUEST, Button, OutgoingMessage, RecipientUnreachable, SendResult, TemporaryFailure
from connectors.vk_api import DEFAULT_API_URL, VkApi

_PEER_ID = re.compile(r"-?\d+")


class VkConnector:
    """Thread-safe."""

    channel = "vk"

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, timeout: float = cfg.DEFAULT_TIMEOUT):
        self.api = VkApi(token, api_url, timeout)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> VkConnector:
        return cls(
            token=cfg.required(settings, "vk", "VK_TOKEN"),
            api_url=cfg.base_url(settings, "VK_API_URL", DEFAULT_API_URL),
            timeout=cfg.seconds(settings, "VK_TIMEOUT"),
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        peer_id = message.address.strip()
        if not _PEER_ID.fullmatch(peer_id):
            raise RecipientUnreachable(f"not a VK peer_id: {message.address!r}")
        params: dict[str, Any] = {
            "peer_id": peer_id,
            "message": message.text,
            "random_id": random_id(message.idempotency_key),
            "keyboard": keyboard_json(message),
        }
        answer = self.api.call("messages.send", params)
        if isinstance(answer, list) and answer:  # the peer_ids form answers a list
            answer = answer[0].get("message_id") if isinstance(answer[0], dict) else answer[0]
        if not isinstance(answer, int):
            raise TemporaryFailure(f"VK messages.send answered {answer!r}")
        return SendResult(str(answer))

    def close(self) -> None:
        self.api.close()


def random_id(idempotency_key: str) -> int:
    """A positive 31-bit number, the same for the same key; random when there is no key."""
    if not idempotency_key:
        return secrets.randbelow(2**31 - 1) + 1
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF or 1


def keyboard_json(message: OutgoingMessage) -> str | None:
    """The ``keyboard`` parameter for the message's buttons, one per row; ``None`` without buttons."""
    if not message.buttons:
        return None
    rows = [[_button(b)] for b in message.buttons]
    return json.dumps({"inline": True, "buttons": rows}, ensure_ascii=False)


def _button(button: Button) -> dict[str, Any]:
    """A callback button; VK cannot share a phone number, so a contact request becomes a text button."""
    if button.payload == CONTACT_REQUEST:
        return {"action": {"type": "text", "label": button.text}}
    return {"action": {"type": "callback", "label": button.text, "payload": json.dumps({"payload": button.payload})}}
