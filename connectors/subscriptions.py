"""Webhook subscriptions at the messengers: MAX ``/subscriptions`` and Telegram ``setWebhook``.

MAX: ``GET /subscriptions`` lists them, ``POST /subscriptions`` with ``{url, update_types, secret}``
adds one (HTTPS on port 443 only, no self-signed certificates; MAX then sends ``X-Max-Bot-Api-Secret``).
Telegram: ``getWebhookInfo`` and ``setWebhook`` with ``secret_token`` (sent back as
``X-Telegram-Bot-Api-Secret-Token``).  Both answer ``DeliveryError`` subclasses on failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from connectors import settings as cfg
from connectors._http import JsonHttp, json_body
from connectors.max_bot import DEFAULT_API_URL as MAX_API_URL
from connectors.max_bot import status_error as max_status_error
from connectors.polling import TELEGRAM_UPDATES, TelegramPoller
from connectors.tls import max_ssl_context

MAX_UPDATE_TYPES = ("message_created", "message_callback", "bot_started", "bot_stopped", "dialog_removed",
                    "bot_removed", "user_removed")


class MaxSubscriptions:
    def __init__(self, http: JsonHttp) -> None:
        self._http = http

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> MaxSubscriptions:
        token = cfg.required(settings, "max", "MAX_TOKEN")
        http = JsonHttp(cfg.base_url(settings, "MAX_API_URL", MAX_API_URL), cfg.seconds(settings, "MAX_TIMEOUT"),
                        headers={"Authorization": token}, max_connections=2, verify=max_ssl_context(settings))
        return cls(http)

    def urls(self) -> list[str]:
        """The URLs MAX currently sends updates to."""
        response = self._http.request("GET", "/subscriptions")
        if response.status_code != 200:
            raise max_status_error(response)
        data = json_body(response)
        return [str(item.get("url")) for item in (data or {}).get("subscriptions") or [] if isinstance(item, dict)]

    def registered(self, url: str) -> bool:
        return url in self.urls()

    def subscribe(self, url: str, secret: str, update_types: Sequence[str] = MAX_UPDATE_TYPES) -> None:
        body = {"url": url, "update_types": list(update_types), "secret": secret}
        response = self._http.request("POST", "/subscriptions", json=body)
        if response.status_code != 200:
            raise max_status_error(response)

    def close(self) -> None:
        self._http.close()


class TelegramWebhook:
    def __init__(self, poller: TelegramPoller) -> None:
        self._poller = poller

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> TelegramWebhook:
        return cls(TelegramPoller.from_settings(settings, poll_timeout=0))

    def url(self) -> str:
        """The webhook URL Telegram has now ("" when none is set)."""
        return self._poller.webhook_url()

    def registered(self, url: str) -> bool:
        return self.url() == url

    def subscribe(self, url: str, secret: str, allowed_updates: Sequence[str] = TELEGRAM_UPDATES) -> None:
        self._poller.set_webhook(url, secret, allowed_updates)

    def close(self) -> None:
        self._poller.close()
