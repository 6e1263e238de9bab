"""Registering the messenger webhooks when the service has a public URL (`OTKLIK_PUBLIC_URL`).

`otklik bot subscribe` and the start-up check of `otklik serve` call `ensure_webhooks`: for Telegram and
MAX, when the bot token and the webhook secret are set, the webhook `<PUBLIC_URL>/webhooks/<channel>` is
registered with its secret unless the messenger already sends there.  Each channel's outcome is a line
of Russian text for the operator; one channel's trouble does not stop the other.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from connectors import ConnectorNotConfigured, DeliveryError
from connectors.subscriptions import MaxSubscriptions, TelegramWebhook
from workflows.delivery.webhooks import SECRETS

CLIENTS: dict[str, Any] = {"telegram": TelegramWebhook, "max": MaxSubscriptions}


@dataclass(frozen=True)
class Outcome:
    channel: str
    ok: bool
    text: str


def public_webhook_url(config: Mapping[str, Any], channel: str) -> str | None:
    """`<PUBLIC_URL>/webhooks/<channel>`, or None without a public URL."""
    base = str(config.get("PUBLIC_URL") or "").strip().rstrip("/")
    return f"{base}/webhooks/{channel}" if base else None


def ensure_webhook(config: Mapping[str, Any], channel: str, force: bool = False) -> Outcome:
    url = public_webhook_url(config, channel)
    if url is None:
        return Outcome(channel, False, "не задан OTKLIK_PUBLIC_URL — вебхук не регистрируем "
                                       "(остаётся `otklik bot poll`)")
    if urlparse(url).scheme != "https":
        return Outcome(channel, False, "OTKLIK_PUBLIC_URL должен начинаться с https:// — мессенджеры шлют вебхуки "
                                       "только по HTTPS")
    secret = str(config.get(SECRETS[channel][0]) or "")
    if not secret:
        return Outcome(channel, False, f"не задан OTKLIK_{SECRETS[channel][0]} — без секрета вебхук не включаем")
    try:
        client = CLIENTS[channel].from_settings(config)
    except ConnectorNotConfigured as error:
        return Outcome(channel, False, f"бот не настроен: задайте OTKLIK_{error.missing}")
    try:
        if not force and client.registered(url):
            return Outcome(channel, True, f"вебхук уже зарегистрирован: {url}")
        client.subscribe(url, secret)
        return Outcome(channel, True, f"вебхук зарегистрирован: {url}")
    except DeliveryError as error:
        return Outcome(channel, False, f"мессенджер не принял подписку: {error.reason}")
    finally:
        client.close()


def ensure_webhooks(config: Mapping[str, Any], force: bool = False) -> list[Outcome]:
    """Telegram and MAX, each on its own."""
    return [ensure_webhook(config, channel, force) for channel in ("telegram", "max")]
