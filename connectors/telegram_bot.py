"""Telegram: outgoing messages through python-telegram-bot 22.

``TELEGRAM_API_URL`` is the part before ``/bot<token>/method`` (default: Telegram's public API);
PTB is given ``base_url = f"{TELEGRAM_API_URL}/bot"``.  Addresses are chat ids (``"123"``,
``"-100123"``) or public channel usernames (``"@name"``).  Buttons become an inline keyboard, one
button per row, the payload as ``callback_data`` (at most 64 bytes, as Telegram allows).

When a group has become a supergroup Telegram answers "migrated"; the connector resends once to
the new chat id and reports it in ``SendResult.new_address`` (store it).  With
``TELEGRAM_FOLLOW_MIGRATIONS=false`` it raises ``ChatMigrated`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from telegram import error as tg
from telegram.request import HTTPXRequest

from connectors import settings as cfg
from connectors.aio import PerThreadLoop
from connectors.base import (
    CONTACT_REQUEST,
    ChatMigrated,
    DeliveryError,
    MessageRejected,
    OutgoingMessage,
    RecipientUnreachable,
    SendResult,
    TemporaryFailure,
)
from connectors.telegram_errors import map_telegram_error

DEFAULT_API_URL = "https://api.telegram.org"
CALLBACK_DATA_LIMIT = 64
_CHAT_ID = re.compile(r"-?\d+")
_USERNAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,}")


class TelegramConnector:
    """Thread-safe: one event loop and one initialised ``telegram.Bot`` per calling thread."""

    channel = "telegram"

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = cfg.DEFAULT_TIMEOUT,
        follow_migrations: bool = True,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.follow_migrations = follow_migrations
        self._token = token
        self._timeout = timeout
        self._bots: PerThreadLoop[Bot] = PerThreadLoop(self._open_bot, close_bot)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> TelegramConnector:
        return cls(
            token=cfg.required(settings, "telegram", "TELEGRAM_TOKEN"),
            api_url=cfg.base_url(settings, "TELEGRAM_API_URL", DEFAULT_API_URL),
            timeout=cfg.seconds(settings, "TELEGRAM_TIMEOUT"),
            follow_migrations=cfg.flag(settings, "TELEGRAM_FOLLOW_MIGRATIONS", True),
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        markup = inline_keyboard(message)
        try:
            return SendResult(self._send_once(message.address, message.text, markup))
        except ChatMigrated as moved:
            if not self.follow_migrations:
                raise
            new_address = moved.new_address
        try:
            return SendResult(self._send_once(new_address, message.text, markup), new_address=new_address)
        except DeliveryError as exc:
            exc.new_address = new_address
            raise

    def close(self) -> None:
        self._bots.close()

    def _send_once(self, address: str, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None) -> str:
        chat_id = parse_chat_id(address)

        async def call(bot: Bot) -> str:
            sent = await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)
            return str(sent.message_id)

        try:
            return self._bots.run(call)
        except tg.TelegramError as exc:
            raise map_telegram_error(exc) from exc
        except (OSError, TimeoutError) as exc:
            raise TemporaryFailure(f"network error: {exc!r}") from exc

    async def _open_bot(self) -> Bot:
        return await open_bot(self._token, self.api_url, self._timeout)


async def open_bot(token: str, api_url: str, timeout: float, poll_timeout: float = 0) -> Bot:
    """An initialised ``telegram.Bot`` (one ``getMe``) on ``api_url``: the one client for sending, polling
    (``getUpdates`` waits up to ``poll_timeout`` longer than ``timeout``) and webhook settings."""
    request = HTTPXRequest(
        connection_pool_size=8,
        connect_timeout=timeout,
        read_timeout=timeout,
        write_timeout=timeout,
        pool_timeout=timeout,
    )
    updates_request = HTTPXRequest(
        connection_pool_size=1,
        connect_timeout=timeout,
        read_timeout=timeout + poll_timeout,
        write_timeout=timeout,
        pool_timeout=timeout,
    )
    bot = Bot(
        token,
        base_url=f"{api_url.rstrip('/')}/bot",
        base_file_url=f"{api_url.rstrip('/')}/file/bot",
        request=request,
        get_updates_request=updates_request,
    )
    try:
        await bot.initialize()  # getMe once per thread, not per message
    except BaseException:
        await request.shutdown()
        await updates_request.shutdown()
        raise
    return bot


async def close_bot(bot: Bot) -> None:
    await bot.shutdown()


def parse_chat_id(address: str) -> int | str:
    """A Telegram ``chat_id`` from an address; an impossible address is ``RecipientUnreachable``."""
    address = address.strip()
    if _CHAT_ID.fullmatch(address):
        return int(address)
    if _USERNAME.fullmatch(address):
        return address
    raise RecipientUnreachable(f"not a Telegram chat id: {address!r}")


def inline_keyboard(message: OutgoingMessage) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """The inline keyboard for the message's buttons, one per row; ``None`` without buttons.

    A message with a ``CONTACT_REQUEST`` button gets a one-time reply keyboard instead: the contact
    button shares the phone, the others send their text as a message.
    """
    if not message.buttons:
        return None
    if any(b.payload == CONTACT_REQUEST for b in message.buttons):
        reply_rows = [[KeyboardButton(b.text, request_contact=b.payload == CONTACT_REQUEST)] for b in message.buttons]
        return ReplyKeyboardMarkup(reply_rows, one_time_keyboard=True, resize_keyboard=True)
    for button in message.buttons:
        if len(button.payload.encode()) > CALLBACK_DATA_LIMIT:
            raise MessageRejected(f"button payload longer than {CALLBACK_DATA_LIMIT} bytes")
    rows = [[InlineKeyboardButton(b.text, callback_data=b.payload)] for b in message.buttons]
    return InlineKeyboardMarkup(rows)
