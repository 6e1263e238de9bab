"""Channels in and out: Telegram, MAX, VK, e-mail, SMS.  No Flask, no database, no queue.

The delivery outbox uses ``build_connector(channel, settings).send(OutgoingMessage(...))`` and acts
on the ``DeliveryError`` subclass it gets; see ``connectors.base`` for what each one asks of it.
"""

from connectors.base import (
    CONTACT_REQUEST,
    Attachment,
    AuthenticationFailed,
    Button,
    ChatMigrated,
    Connector,
    ConnectorNotConfigured,
    DeliveryError,
    MessageRejected,
    OutgoingMessage,
    PermanentFailure,
    RecipientUnreachable,
    RetryAfter,
    SendResult,
    TemporaryFailure,
)
from connectors.registry import CONNECTORS, build_connector

__all__ = [
    "CONTACT_REQUEST",
    "CONNECTORS",
    "Attachment",
    "AuthenticationFailed",
    "Button",
    "ChatMigrated",
    "Connector",
    "ConnectorNotConfigured",
    "DeliveryError",
    "MessageRejected",
    "OutgoingMessage",
    "PermanentFailure",
    "RecipientUnreachable",
    "RetryAfter",
    "SendResult",
    "TemporaryFailure",
    "build_connector",
]
