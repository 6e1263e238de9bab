"""E-mail over SMTP (smtplib), the fallback channel.

``SMTP_URL``: ``smtp://user:pass@host:port`` (plain; STARTTLS when the port is 587),
``smtp+starttls://...`` (always STARTTLS) or ``smtps://...`` (TLS from the first byte, port 465).
The sender is ``SMTP_FROM``, else ``?from=`` in the URL, else the user name when it is an address,
else ``noreply@<host>``.  Buttons have no meaning in e-mail and are left out; attachments go as
MIME parts.  One SMTP conversation
per message keeps the connector thread-safe without a connection pool; e-mail is a low-volume
fallback.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from connectors import settings as cfg
from connectors.base import (
    AuthenticationFailed,
    ConnectorNotConfigured,
    DeliveryError,
    MessageRejected,
    OutgoingMessage,
    RecipientUnreachable,
    SendResult,
    TemporaryFailure,
)

DEFAULT_SUBJECT = "Отклик: уведомление"
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    user: str = ""
    password: str = ""
    tls: bool = False  # TLS from the first byte (smtps)
    starttls: bool = False
    sender: str = ""


def parse_smtp_url(url: str, sender: str = "") -> SmtpTarget:
    """The SMTP server, credentials and sender an ``SMTP_URL`` describes."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"smtp", "smtps", "smtp+starttls"} or not parts.hostname:
        raise ValueError(f"SMTP_URL must be smtp://, smtp+starttls:// or smtps://host:port, not {url!r}")
    port = parts.port or (465 if scheme == "smtps" else 587 if scheme == "smtp+starttls" else 25)
    user = unquote(parts.username or "")
    from_query = parse_qs(parts.query).get("from", [""])[0]
    sender = sender or from_query or (user if "@" in user else f"noreply@{parts.hostname}")
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        user=user,
        password=unquote(parts.password or ""),
        tls=scheme == "smtps",
        starttls=scheme == "smtp+starttls" or (scheme == "smtp" and port == 587),
        sender=sender,
    )


class EmailConnector:
    """Thread-safe: every ``send`` is its own SMTP conversation."""

    channel = "email"

    def __init__(self, target: SmtpTarget, timeout: float = cfg.DEFAULT_TIMEOUT) -> None:
        self.target = target
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> EmailConnector:
        url = cfg.required(settings, "email", "SMTP_URL")
        try:
            target = parse_smtp_url(url, cfg.optional(settings, "SMTP_FROM", ""))
        except ValueError as exc:
            raise ConnectorNotConfigured("email", "SMTP_URL", str(exc)) from exc
        return cls(target, timeout=cfg.seconds(settings, "SMTP_TIMEOUT"))

    def send(self, message: OutgoingMessage) -> SendResult:
        recipient = message.address.strip()
        if not _EMAIL.fullmatch(recipient):
            raise RecipientUnreachable(f"not an e-mail address: {message.address!r}")
        email = build_email(message, self.target.sender, recipient)
        try:
            with self._connect() as smtp:
                smtp.send_message(email, from_addr=self.target.sender, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError) as exc:
            raise map_smtp_error(exc, recipient) from exc
        return SendResult(str(email["Message-ID"]))

    def close(self) -> None:
        """Nothing is kept open between messages."""

    def _connect(self) -> smtplib.SMTP:
        target = self.target
        smtp: smtplib.SMTP
        if target.tls:
            smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=self.timeout)
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
        try:
            if target.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if target.user:
                smtp.login(target.user, target.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def build_email(message: OutgoingMessage, sender: str, recipient: str) -> EmailMessage:
    """The e-mail for a message; its Message-ID is stable for one idempotency key."""
    email = EmailMessage()
    first_line = message.text.strip().splitlines()[0] if message.text.strip() else ""
    email["Subject"] = message.subject or (first_line[:78] or DEFAULT_SUBJECT)
    email["From"] = sender
    email["To"] = recipient
    if message.idempotency_key:
        digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
        email["Message-ID"] = f"<{digest}@otklik>"
    else:
        email["Message-ID"] = make_msgid(domain="otklik")
    email.set_content(message.text)
    for item in message.attachments:
        maintype, _, subtype = item.content_type.partition("/")
        email.add_attachment(item.data, maintype=maintype, subtype=subtype or "octet-stream",
                             filename=item.filename)
    return email


def map_smtp_error(exc: BaseException, recipient: str) -> DeliveryError:
    """The ``DeliveryError`` for an smtplib or socket failure (5xx permanent, 4xx temporary)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = exc.recipients.get(recipient, (550, b"refused"))
        reason = f"{code} {_text(text)}"
        return RecipientUnreachable(reason) if code >= 500 else TemporaryFailure(reason)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return AuthenticationFailed(f"SMTP login refused: {exc.smtp_code}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        return MessageRejected(reason) if exc.smtp_code >= 500 else TemporaryFailure(reason)
    return TemporaryFailure(f"SMTP: {type(exc).__name__}: {exc}")


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value
