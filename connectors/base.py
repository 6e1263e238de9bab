"""The channel-neutral face of every outgoing connector: messages, results, errors, the protocol.

Error classes tell the caller (the delivery outbox) what to do next:

* ``RetryAfter`` -- the channel asked us to wait exactly ``seconds``; then send the same message again.
* ``TemporaryFailure`` -- timeouts, 5xx, network trouble: retry with exponential backoff and jitter.
  ``AuthenticationFailed`` is a temporary failure of the whole channel (bad token, no money on the
  SMS account): the recipient is fine, an operator must fix the configuration.
* ``PermanentFailure`` -- do not retry this message.  ``RecipientUnreachable`` (blocked the bot, chat
  not found, invalid address) means the address is dead; ``MessageRejected`` means this message was
  refused (too long, bad button payload) while the recipient may still be reachable.
* ``ChatMigrated`` -- a Telegram group became a supergroup: ``new_address`` is where it lives now.
  By default the Telegram connector follows the move itself and reports it in
  ``SendResult.new_address``; it raises ``ChatMigrated`` only when built with
  ``TELEGRAM_FOLLOW_MIGRATIONS=false``.  It is a ``PermanentFailure`` so that a caller which does not
  know about it never retries the dead address.

Any ``DeliveryError`` may carry ``new_address`` (a migration was followed and then the second send
failed): a caller that sees it should store the new address whatever the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Button:
    """An inline button; ``payload`` comes back in the callback when it is pressed."""

    text: str
    payload: str


# A button with this payload asks the messenger for the user's own phone number (Telegram
# ``request_contact`` reply keyboard, MAX ``request_contact`` button); the answer is a contact update.
CONTACT_REQUEST = "@request_contact"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (e-mail only; other channels leave it out)."""

    filename: str
    content_type: str  # "maintype/subtype"
    data: bytes


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one recipient on one channel."""

    address: str  # chat id / user id / phone / e-mail, per channel
    text: str
    buttons: tuple[Button, ...] = ()
    idempotency_key: str = ""  # stable per notice+recipient (VK random_id derives from it)
    subject: str | None = None  # e-mail only
    attachments: tuple[Attachment, ...] = ()  # e-mail only


@dataclass(frozen=True)
class SendResult:
    """What the channel answered; ``new_address`` is set when the recipient moved (Telegram migration)."""

    message_id: str
    new_address: str | None = None


class DeliveryError(Exception):
    """Base of every error a connector raises; ``reason`` is a short human text."""

    def __init__(self, reason: str, *, new_address: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.new_address = new_address


class RetryAfter(DeliveryError):
    """The channel throttled us: wait exactly ``seconds`` before sending this message again.

    ``scope`` says what is throttled: ``"channel"`` (the whole bot/token: every send waits) or
    ``"recipient"`` (only this chat, e.g. VK flood control): the caller pauses that much and no more.
    """

    def __init__(
        self, seconds: float, reason: str = "", *, new_address: str | None = None, scope: str = "channel"
    ) -> None:
        super().__init__(reason or f"retry after {seconds:g} s", new_address=new_address)
        self.seconds = float(seconds)
        self.scope = scope


class TemporaryFailure(DeliveryError):
    """Timeouts, 5xx, network errors: back off exponentially with jitter and retry."""


class AuthenticationFailed(TemporaryFailure):
    """The channel refused our credentials (bad token, unpaid account): the whole channel is down."""


class PermanentFailure(DeliveryError):
    """Retrying will not help this message."""


class RecipientUnreachable(PermanentFailure):
    """Blocked the bot, chat not found, invalid address: the recipient cannot be reached here."""


class MessageRejected(PermanentFailure):
    """The channel refused this message itself (too long, malformed); the recipient may be fine."""


class ChatMigrated(PermanentFailure):
    """The chat moved (Telegram group upgraded to a supergroup); resend to ``new_address``."""

    def __init__(self, new_address: str, reason: str = "") -> None:
        super().__init__(reason or f"chat migrated to {new_address}", new_address=new_address)
        self.new_address: str = new_address

    @property
    def new_chat_id(self) -> str:
        return self.new_address


class ConnectorNotConfigured(Exception):
    """A channel was asked for while its token or URL is missing from the settings."""

    def __init__(self, channel: str, missing: str, detail: str = "") -> None:
        problem = detail or f"set OTKLIK_{missing}"
        super().__init__(f"channel {channel!r} is not configured: {problem}")
        self.channel = channel
        self.missing = missing


@runtime_checkable
class Connector(Protocol):
    """An outgoing channel.  ``send`` is thread-safe and raises ``DeliveryError`` subclasses only."""

    channel: str

    def send(self, message: OutgoingMessage) -> SendResult: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ErrorCodes:
    """A gateway's numeric error codes sorted into the kinds of DeliveryError (VK, SMS.ru, ...)."""

    retry_after: dict[int, float]
    temporary: frozenset[int]
    auth: frozenset[int]
    unreachable: frozenset[int]
    recipient_scoped: frozenset[int] = frozenset()  # retry_after codes that throttle one chat only

    def error(self, code: int, reason: str) -> DeliveryError:
        """The error for `code`; a code in no table rejects the message itself."""
        if code in self.retry_after:
            scope = "recipient" if code in self.recipient_scoped else "channel"
            return RetryAfter(self.retry_after[code], reason, scope=scope)
        if code in self.unreachable:
            return RecipientUnreachable(reason)
        if code in self.auth:
            return AuthenticationFailed(reason)
        if code in self.temporary:
            return TemporaryFailure(reason)
        return MessageRejected(reason)
