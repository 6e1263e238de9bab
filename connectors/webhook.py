"""Outgoing webhooks: a signed JSON POST to an organisation's own system, with httpx.

The outbox row carries the raw body in ``OutgoingMessage.text`` and the request headers (event,
delivery id, signature) as a JSON object in ``OutgoingMessage.subject``; the address is the URL.
``sign`` makes the ``X-Otklik-Signature: sha256=<hex>`` value: HMAC-SHA256 of the raw body.

Answers: 2xx -> sent; 410 Gone -> ``RecipientUnreachable`` (the receiver says: stop); 429 ->
``RetryAfter`` (``Retry-After`` seconds, else 1 s); 5xx, timeouts, network errors and any other
status -> ``TemporaryFailure`` (retried with backoff: a delivery is never dropped on a hiccup).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from connectors import settings as cfg
from connectors._http import retry_after_header
from connectors.base import (
    DeliveryError,
    OutgoingMessage,
    RecipientUnreachable,
    RetryAfter,
    SendResult,
    TemporaryFailure,
)
from connectors.targets import UnsafeTarget, check_target

SIGNATURE_HEADER = "X-Otklik-Signature"
EVENT_HEADER = "X-Otklik-Event"
DELIVERY_HEADER = "X-Otklik-Delivery"
USER_AGENT = "Otklik-Webhooks/1"


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: the signature of the raw body under the subscription's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """What a receiver checks (constant-time)."""
    return bool(header) and hmac.compare_digest(sign(secret, body), str(header))


@dataclass(frozen=True)
class Attempt:
    """One POST and how it went: ``error`` is None when the receiver took it."""

    status_code: int | None
    elapsed_ms: int
    error: DeliveryError | None
    response_excerpt: str = ""


class WebhookConnector:
    """Thread-safe (one shared ``httpx.Client``)."""

    channel = "webhook"

    def __init__(self, timeout: float = cfg.DEFAULT_TIMEOUT, allow_private: bool = False) -> None:
        self.allow_private = allow_private
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        self._client = httpx.Client(timeout=timeout, limits=limits, follow_redirects=False)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> WebhookConnector:
        return cls(timeout=cfg.seconds(settings, "WEBHOOK_TIMEOUT"),
                   allow_private=bool(settings.get("WEBHOOK_ALLOW_PRIVATE_TARGETS")))

    def send(self, message: OutgoingMessage) -> SendResult:
        attempt = self.attempt(message)
        if attempt.error is not None:
            raise attempt.error
        return SendResult(message_id=f"http-{attempt.status_code}")

    def attempt(self, message: OutgoingMessage) -> Attempt:
        """POST once; never raises (the outcome is in the result)."""
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **message_headers(message)}
        started = time.monotonic()
        try:  # checked again at every delivery, and sent to the address checked (DNS rebinding)
            target = check_target(message.address, self.allow_private)
        except UnsafeTarget as exc:
            return Attempt(None, _ms(started), RecipientUnreachable(str(exc)))
        extensions = {"sni_hostname": target.host} if target.address is not None else {}
        if target.address is not None:
            headers["Host"] = target.host_header()
        try:
            response = self._client.post(target.pinned_url(), content=message.text.encode(), headers=headers,
                                         extensions=extensions)
        except httpx.TimeoutException as exc:
            return Attempt(None, _ms(started), TemporaryFailure(f"timeout: {type(exc).__name__}"))
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            # the class only: the text of a connection error names internal hosts and ports
            return Attempt(None, _ms(started), TemporaryFailure(f"network error: {type(exc).__name__}"))
        return Attempt(response.status_code, _ms(started), status_error(response), response.text[:200])

    def close(self) -> None:
        self._client.close()


def message_headers(message: OutgoingMessage) -> dict[str, str]:
    """The headers stored with the message (a JSON object in ``subject``); bad JSON gives none."""
    try:
        data = json.loads(message.subject or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def status_error(response: httpx.Response) -> DeliveryError | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    if status == 410:
        return RecipientUnreachable("410 Gone: the receiver cancelled the subscription")
    if status == 429:
        return RetryAfter(retry_after_header(response), "429 Too Many Requests")
    return TemporaryFailure(f"HTTP {status}")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
