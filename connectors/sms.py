"""SMS through an SMS.ru-style HTTP gateway.

``POST {SMS_API_URL}/sms/send`` with ``api_id`` (``SMS_API_KEY``), ``to``, ``msg``, ``json=1`` and
``from`` when ``SMS_FROM`` is set.  The answer is
``{"status": "OK", "status_code": 100, "sms": {"<phone>": {"status", "status_code", "sms_id"}}}``;
a failed request or a failed number carries its own ``status_code``, mapped by the tables below.
Addresses are phone numbers in any usual writing; Russian ``8XXXXXXXXXX`` becomes ``7XXXXXXXXXX``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors import phones
from connectors import settings as cfg
from connectors._http import JsonHttp, generic_status_error, json_body
from connectors.base import (
    DeliveryError,
    ErrorCodes,
    MessageRejected,
    OutgoingMessage,
    RecipientUnreachable,
    SendResult,
    TemporaryFailure,
)

DEFAULT_API_URL = "https://sms.ru"
# 202 bad recipient, 207 cannot send to this number, 209 number in the stop list.
UNREACHABLE_CODES = frozenset({202, 207, 209})
# 200/300/301 bad key or login, 201 not enough money, 302 account not confirmed.
AUTH_CODES = frozenset({200, 201, 300, 301, 302})
# 220 service temporarily unavailable, 500 gateway error.
TEMPORARY_CODES = frozenset({220, 500})
# 206/230 daily limits, 231/232 same text too often, 233 codes too often.
RETRY_AFTER_SECONDS: dict[int, float] = {206: 3600.0, 230: 3600.0, 231: 60.0, 232: 3600.0, 233: 600.0}


class SmsConnector:
    """Thread-safe (one shared ``httpx.Client``)."""

    channel = "sms"

    def __init__(
        self, api_key: str, api_url: str = DEFAULT_API_URL, sender: str = "", timeout: float = 10.0
    ) -> None:
        self._api_key = api_key
        self.sender = sender
        self._http = JsonHttp(api_url, timeout)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SmsConnector:
        return cls(
            api_key=cfg.required(settings, "sms", "SMS_API_KEY"),
            api_url=cfg.base_url(settings, "SMS_API_URL", DEFAULT_API_URL),
            sender=cfg.optional(settings, "SMS_FROM", ""),
            timeout=cfg.seconds(settings, "SMS_TIMEOUT"),
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        phone = normalize_phone(message.address)
        form = {"api_id": self._api_key, "to": phone, "msg": message.text, "json": "1"}
        if self.sender:
            form["from"] = self.sender
        response = self._http.request("POST", "/sms/send", data=form)
        if response.status_code != 200:
            common = generic_status_error(response, "SMS gateway")
            raise common or MessageRejected(f"HTTP {response.status_code} from the SMS gateway")
        data = json_body(response)
        _raise_for_status(data)
        entry = (data.get("sms") or {}).get(phone)
        if not isinstance(entry, dict):
            raise TemporaryFailure(f"SMS gateway answered without a status for {phone}")
        _raise_for_status(entry)
        return SendResult(str(entry.get("sms_id", "")))

    def close(self) -> None:
        self._http.close()


def normalize_phone(address: str) -> str:
    """The gateway's form of the number: E.164 digits without the plus; not a number is ``RecipientUnreachable``."""
    digits = phones.digits(address)
    if digits is None:
        raise RecipientUnreachable(f"not a phone number: {address!r}")
    return digits


def _raise_for_status(data: Any) -> None:
    if not isinstance(data, dict):
        raise TemporaryFailure("SMS gateway answered something other than an object")
    if data.get("status") == "OK":
        return
    raise map_sms_status(int(data.get("status_code") or 0), str(data.get("status_text", "")))


CODES = ErrorCodes(RETRY_AFTER_SECONDS, TEMPORARY_CODES, AUTH_CODES, UNREACHABLE_CODES)


def map_sms_status(code: int, text: str) -> DeliveryError:
    """The ``DeliveryError`` for an SMS.ru ``status_code``."""
    return CODES.error(code, f"SMS gateway {code}: {text}".strip())
