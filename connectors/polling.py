"""Long-polling clients for Telegram (``getUpdates``) and MAX (``GET /updates``), and callback answers.

They return update dicts for ``connectors.inbound`` to parse, and fail with the same ``DeliveryError``
classes as sending (``RetryAfter``, ``TemporaryFailure``, ``AuthenticationFailed``). Telegram goes through
python-telegram-bot, the client sending uses (no HTTP or error mapping of its own); MAX through its HTTP
API. Both are synchronous.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Bot
from telegram import error as tg

from connectors import settings as cfg
from connectors._http import JsonHttp, generic_status_error, json_body
from connectors.aio import PerThreadLoop
from connectors.base import (
    TemporaryFailure,
)
from connectors.max_bot import DEFAULT_API_URL as MAX_API_URL
from connectors.max_bot import MIN_POLL_INTERVAL
from connectors.max_bot import status_error as max_status_error
from connectors.telegram_bot import DEFAULT_API_URL as TELEGRAM_API_URL
from connectors.telegram_bot import close_bot, open_bot
from connectors.telegram_errors import map_telegram_error
from connectors.tls import max_ssl_context

TELEGRAM_UPDATES = ("message", "callback_query", "my_chat_member")
T = TypeVar("T")


class TelegramPoller:
    """``fetch(offset)`` returns Telegram updates; the next offset is the last ``update_id + 1``.

    The same python-telegram-bot client as sending (``connectors.telegram_bot.open_bot``), one per thread,
    and the same error mapping (``map_telegram_error``): polling, callback answers and webhook settings
    fail with the ``DeliveryError`` classes sending does.
    """

    def __init__(
        self,
        token: str,
        api_url: str = TELEGRAM_API_URL,
        poll_timeout: int = 25,
        limit: int = 100,
        allowed_updates: Sequence[str] = TELEGRAM_UPDATES,
        timeout: float = cfg.DEFAULT_TIMEOUT,
    ) -> None:
        self.poll_timeout = poll_timeout
        self.limit = limit
        self.allowed_updates = list(allowed_updates)
        # The HTTP read timeout of getUpdates outlasts the server-side long poll.
        self._bots: PerThreadLoop[Bot] = PerThreadLoop(
            lambda: open_bot(token, api_url, timeout, poll_timeout=poll_timeout + 10), close_bot)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], poll_timeout: int = 25) -> TelegramPoller:
        return cls(
            token=cfg.required(settings, "telegram", "TELEGRAM_TOKEN"),
            api_url=cfg.base_url(settings, "TELEGRAM_API_URL", TELEGRAM_API_URL),
            poll_timeout=poll_timeout,
            timeout=cfg.seconds(settings, "TELEGRAM_TIMEOUT"),
        )

    def fetch(self, offset: int | None = None) -> list[dict[str, Any]]:
        """Updates with ``update_id >= offset`` (which also confirms the earlier ones), as Bot API dicts."""

        async def call(bot: Bot) -> list[dict[str, Any]]:
            updates = await bot.get_updates(offset=offset, limit=self.limit, timeout=self.poll_timeout,
                                            allowed_updates=self.allowed_updates)
            return [update.to_dict() for update in updates]

        return self.run(call)

    def answer_callback_query(
        self, callback_query_id: str, text: str | None = None, show_alert: bool = False
    ) -> None:
        """Stop the button's spinner, optionally showing ``text`` to the person who pressed it."""

        async def call(bot: Bot) -> None:
            await bot.answer_callback_query(callback_query_id, text=text or None, show_alert=show_alert)

        self.run(call)

    def webhook_url(self) -> str:
        """The webhook URL Telegram has now ("" when none is set)."""

        async def call(bot: Bot) -> str:
            return str((await bot.get_webhook_info()).url or "")

        return self.run(call)

    def set_webhook(self, url: str, secret: str, allowed_updates: Sequence[str] = TELEGRAM_UPDATES) -> None:
        async def call(bot: Bot) -> None:
            await bot.set_webhook(url, secret_token=secret, allowed_updates=list(allowed_updates))

        self.run(call)

    def run(self, call: Callable[[Bot], Awaitable[T]]) -> T:
        """``call(bot)`` on this thread's client; Telegram's failures as ``DeliveryError``."""
        try:
            return self._bots.run(call)
        except tg.TelegramError as exc:
            raise map_telegram_error(exc) from exc
        except (OSError, TimeoutError) as exc:
            raise TemporaryFailure(f"network error: {exc!r}") from exc

    def close(self) -> None:
        self._bots.close()


def answer_telegram_callback(
    settings: Mapping[str, Any], callback_query_id: str, text: str | None = None, show_alert: bool = False
) -> None:
    """One-off ``answerCallbackQuery`` for code that holds settings but no poller (webhooks)."""
    poller = TelegramPoller.from_settings(settings, poll_timeout=0)
    try:
        poller.answer_callback_query(callback_query_id, text, show_alert)
    finally:
        poller.close()


@dataclass(frozen=True)
class MaxUpdates:
    """One ``GET /updates`` answer: the updates and the marker to ask from next time."""

    updates: list[dict[str, Any]]
    marker: int | None


class MaxPoller:
    """``fetch(marker)`` returns MAX updates and the next marker.

    MAX asks for at least 300 ms between polls: ``fetch`` waits until ``min_interval`` has passed since
    the previous answer came back (measured from the answer, so the server never sees two polls closer
    than that however long the request took).  ``sleep`` and ``monotonic`` are injectable for tests.
    """

    def __init__(
        self,
        token: str,
        api_url: str = MAX_API_URL,
        poll_timeout: int = 30,
        limit: int = 100,
        types: Sequence[str] = (),
        verify: ssl.SSLContext | bool = True,
        min_interval: float = MIN_POLL_INTERVAL,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.min_interval = min_interval
        self._sleep, self._monotonic = sleep, monotonic
        self._last_answer: float | None = None
        self.poll_timeout = poll_timeout
        self.limit = limit
        self.types = list(types)
        headers = {"Authorization": token}
        self._http = JsonHttp(api_url, timeout=poll_timeout + 10, headers=headers, max_connections=4, verify=verify)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], poll_timeout: int = 30) -> MaxPoller:
        return cls(
            token=cfg.required(settings, "max", "MAX_TOKEN"),
            api_url=cfg.base_url(settings, "MAX_API_URL", MAX_API_URL),
            poll_timeout=poll_timeout,
            verify=max_ssl_context(settings),
        )

    def fetch(self, marker: int | None = None) -> MaxUpdates:
        params: dict[str, Any] = {"limit": self.limit, "timeout": self.poll_timeout}
        if marker is not None:
            params["marker"] = marker
        if self.types:
            params["types"] = ",".join(self.types)
        self._pace()
        try:
            response = self._http.request("GET", "/updates", params=params)
        finally:
            self._last_answer = self._monotonic()
        if response.status_code != 200:
            raise max_status_error(response)
        data = json_body(response)
        if not isinstance(data, dict):
            raise TemporaryFailure("MAX /updates answered something other than an object")
        next_marker = data.get("marker")
        updates = list(data.get("updates") or [])
        return MaxUpdates(updates, int(next_marker) if next_marker is not None else marker)

    def _pace(self) -> None:
        if self._last_answer is None:
            return
        remaining = self.min_interval - (self._monotonic() - self._last_answer)
        if remaining > 0:
            self._sleep(remaining)

    def answer_callback(self, callback_id: str, notification: str | None = None) -> None:
        """``POST /answers``: acknowledge a button press, optionally with a one-time notification."""
        body = {"notification": notification or ""}
        response = self._http.request("POST", "/answers", params={"callback_id": callback_id}, json=body)
        if response.status_code != 200:
            common = generic_status_error(response, "MAX /answers")
            raise common or max_status_error(response)

    def close(self) -> None:
        self._http.close()
