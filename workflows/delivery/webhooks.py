"""Checking that a webhook request really comes from the messenger (a shared secret header)."""
from __future__ import annotations

import hmac
from typing import Protocol

from flask import current_app

from workflows.errors import Forbidden, NotFound


class Headers(Protocol):
    def get(self, key: str) -> str | None: ...


# channel → (config key of the secret, header the messenger sends it in)
SECRETS = {
    "telegram": ("TELEGRAM_WEBHOOK_SECRET", "X-Telegram-Bot-Api-Secret-Token"),
    "max": ("MAX_WEBHOOK_SECRET", "X-Max-Bot-Api-Secret"),
}


def check_webhook(channel: str, headers: Headers) -> None:
    """NotFound when the channel's webhook is off (no secret set); Forbidden on a wrong secret."""
    config_key, header = SECRETS.get(channel, ("", ""))
    secret = str(current_app.config.get(config_key) or "") if config_key else ""
    if not secret:
        raise NotFound("вебхук не включён")
    given = str(headers.get(header) or "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise Forbidden("неверный секрет вебхука")
