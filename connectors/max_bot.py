"""MAX (the national messenger): outgoing messages over the MAX Bot API with httpx.

The Bot API lives at ``https://platform-api2.max.ru`` (the old ``platform-api.max.ru`` host was retired;
migration deadline 19 July 2026) behind a certificate of the Russian Trusted Root CA: every MAX request
uses ``connectors.tls.max_ssl_context`` (certifi plus the Минцифры PEMs, or ``MAX_CA_FILE``).
Requests carry ``Authorization: <token>`` (MAX no longer accepts the token as a query parameter).
Addresses: ``"chat:<id>"`` sends to a chat
(``POST /messages?chat_id=<id>``, building chats); ``"user:<id>"`` or a bare ``"<id>"`` sends to a
user's dialog (``?user_id=<id>``).  MAX chat ids are negative for dialogs and groups alike, so the
sign cannot tell them apart: the prefix must.  Buttons become one ``inline_keyboard`` attachment
with one ``callback`` button per row.

Answers: 429 -> ``RetryAfter`` (``Retry-After`` header, else 1 s); 401 -> ``AuthenticationFailed``;
5xx and timeouts -> ``TemporaryFailure``; a 3xx (the configured host moved: httpx does not follow
redirects) -> ``AuthenticationFailed`` naming the new location, so the channel waits for an operator
instead of failing every notice over; 403/404 -> ``RecipientUnreachable``; other 4xx -> ``MessageRejected``.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from connectors import settings as cfg
from connectors._http import JsonHttp, generic_status_error, json_body
from connectors.base import (
    CONTACT_REQUEST,
    AuthenticationFailed,
    DeliveryError,
    MessageRejected,
    OutgoingMessage,
    RecipientUnreachable,
    SendResult,
    TemporaryFailure,
)
from connectors.tls import max_ssl_context

DEFAULT_API_URL = "https://platform-api2.max.ru"
MIN_POLL_INTERVAL = 0.3  # seconds between two GET /updates (MAX Bot API documentation)
_ADDRESS = re.compile(r"(?:(chat|user):)?(-?\d+)")


class MaxConnector:
    """Thread-safe (one shared ``httpx.Client``)."""

    channel = "max"

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = cfg.DEFAULT_TIMEOUT,
        verify: ssl.SSLContext | bool = True,
    ):
        self.api_url = api_url.rstrip("/")
        self._http = JsonHttp(self.api_url, timeout, headers={"Authorization": token}, verify=verify)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> MaxConnector:
        return cls(
            token=cfg.required(settings, "max", "MAX_TOKEN"),
            api_url=cfg.base_url(settings, "MAX_API_URL", DEFAULT_API_URL),
            timeout=cfg.seconds(settings, "MAX_TIMEOUT"),
            verify=max_ssl_context(settings),
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        response = self._http.request(
            "POST", "/messages", params=recipient_params(message.address), json=message_body(message)
        )
        if response.status_code != 200:
            raise status_error(response)
        data = json_body(response)
        try:
            return SendResult(str(data["message"]["body"]["mid"]))
        except (KeyError, TypeError) as exc:
            raise TemporaryFailure("MAX answer without message.body.mid") from exc

    def close(self) -> None:
        self._http.close()


def recipient_params(address: str) -> dict[str, str]:
    """``{"chat_id": ...}`` or ``{"user_id": ...}`` for an address (see the module docstring)."""
    match = _ADDRESS.fullmatch(address.strip())
    if match is None:
        raise RecipientUnreachable(f"not a MAX address: {address!r}")
    kind, number = match.groups()
    return {"chat_id": number} if kind == "chat" else {"user_id": number}


def message_body(message: OutgoingMessage) -> dict[str, Any]:
    """The JSON body of ``POST /messages``."""
    body: dict[str, Any] = {"text": message.text}
    if message.buttons:
        rows = [[{"type": "request_contact", "text": b.text} if b.payload == CONTACT_REQUEST
                 else {"type": "callback", "text": b.text, "payload": b.payload}] for b in message.buttons]
        body["attachments"] = [{"type": "inline_keyboard", "payload": {"buttons": rows}}]
    return body


def status_error(response: httpx.Response) -> DeliveryError:
    """The error for a non-200 MAX answer."""
    status, reason = response.status_code, error_text(response)
    if 300 <= status < 400:
        moved_to = response.headers.get("Location", "?")
        return AuthenticationFailed(f"{status}: the MAX API moved to {moved_to}; check OTKLIK_MAX_API_URL")
    common = generic_status_error(response, reason)
    if common is not None:
        return common
    if status in (403, 404):
        return RecipientUnreachable(f"{status} {reason}".strip())
    return MessageRejected(f"{status} {reason}".strip())


def error_text(response: httpx.Response) -> str:
    """MAX's ``{"code", "message"}`` error body as one line."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(data, dict):
        return " ".join(str(data.get(key, "")) for key in ("code", "message")).strip()
    return str(data)[:200]
