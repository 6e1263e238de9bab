"""The channel table: name -> connector class, and the factory that builds one from settings.

A connector class offers ``from_settings(settings)``; settings keys are the contract's
environment names without the ``OTKLIK_`` prefix (``TELEGRAM_TOKEN``, ``MAX_API_URL``, ...).
Copy and extend the table (``dict(CONNECTORS, fax=FaxConnector)``) rather than mutate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from connectors.base import Connector
from connectors.mail import EmailConnector
from connectors.max_bot import MaxConnector
from connectors.sms import SmsConnector
from connectors.telegram_bot import TelegramConnector
from connectors.vk import VkConnector
from connectors.webhook import WebhookConnector

CONNECTORS: dict[str, type] = {
    "telegram": TelegramConnector,
    "max": MaxConnector,
    "vk": VkConnector,
    "email": EmailConnector,
    "sms": SmsConnector,
    "webhook": WebhookConnector,
}


def build_connector(
    channel: str, settings: Mapping[str, Any], table: Mapping[str, type] | None = None
) -> Connector:
    """A ready connector for ``channel``; ``ConnectorNotConfigured`` when its token is missing."""
    classes = CONNECTORS if table is None else table
    try:
        cls = classes[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}; known: {', '.join(sorted(classes))}") from None
    connector: Connector = cast(Any, cls).from_settings(settings)
    return connector
