"""A fake Telegram Bot API: ``{url}/bot<token>/<method>``, enough for python-telegram-bot 22.

Limits as Telegram applies them: 30 messages/s overall, 1/s per private chat (id > 0), 20/min per
group (id < 0); over a limit it answers 429 with ``parameters.retry_after``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

from tests.fakes import faults
from tests.fakes.http_server import FakeHttpServer, Request, Response
from tests.fakes.recorder import FakeButton

BOT_USER = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "Otklik",
    "username": "otklik_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_POLL_WAIT = 5.0


def error(status: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(status, body)


def ok(result: Any) -> Response:
    return Response(200, {"ok": True, "result": result})


class FakeTelegram(FakeHttpServer):
    """Start with ``with FakeTelegram() as tg:``; give a connector ``TELEGRAM_API_URL=tg.url``."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        global_per_second: int = 30,
        private_per_second: int = 1,
        group_per_minute: int = 20,
    ) -> None:
        super().__init__()
        self.token = token
        self.global_per_second = global_per_second
        self.private_per_second = private_per_second
        self.group_per_minute = group_per_minute
        self.answered_callbacks: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}  # the last setWebhook parameters
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._updates_changed = threading.Condition()

    # -- updates a test feeds to getUpdates ------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._updates_changed:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._updates_changed.notify_all()
        return update

    def push_message(self, chat_id: int, text: str, user_id: int | None = None) -> dict[str, Any]:
        return self.push_update({"message": self._incoming(chat_id, user_id, text=text)})

    def push_contact(
        self, chat_id: int, phone: str, user_id: int | None = None, contact_user_id: int | None = None
    ) -> dict[str, Any]:
        sender = user_id if user_id is not None else chat_id
        contact = {
            "phone_number": phone,
            "first_name": "Жилец",
            "user_id": contact_user_id if contact_user_id is not None else sender,
        }
        return self.push_update({"message": self._incoming(chat_id, user_id, contact=contact)})

    def push_callback(self, chat_id: int, data: str, user_id: int | None = None) -> dict[str, Any]:
        sender = user_id if user_id is not None else chat_id
        query = {
            "id": f"cbq{next(self._ids)}",
            "from": _user(sender),
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": _chat(chat_id),
                "from": BOT_USER,
                "text": "notice",
            },
        }
        return self.push_update({"callback_query": query})

    def _incoming(self, chat_id: int, user_id: int | None, **content: Any) -> dict[str, Any]:
        sender = user_id if user_id is not None else chat_id
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(sender),
            **content,
        }

    def on_stop(self) -> None:
        with self._updates_changed:
            self._updates_changed.notify_all()

    # -- the API ---------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        prefix, _, method = request.path.lstrip("/").partition("/")
        self.recorder.count(f"call:{method}")
        if prefix != f"bot{self.token}":
            return error(401, "Unauthorized")
        handler = {
            "getMe": lambda r: ok(BOT_USER),
            "sendMessage": self._send_message,
            "getUpdates": self._get_updates,
            "answerCallbackQuery": self._answer_callback,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": lambda r: ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                                             "pending_update_count": 0}),
            "deleteWebhook": lambda r: ok(True),
            "logOut": lambda r: ok(True),
        }.get(method)
        if handler is None:
            return error(404, "Not Found")
        return handler(request)

    def _send_message(self, request: Request) -> Response:
        chat = str(request.params.get("chat_id", ""))
        fault = self.take_fault(chat)
        if fault is not None:
            return self._fault_response(fault)
        if not chat or "text" not in request.params:
            return error(
                400, "Bad Request: message text is empty" if chat else "Bad Request: chat_id is empty"
            )
        wait = self.limited(self._rules(chat))
        if wait is not None:
            return error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        markup = _json_param(request.params.get("reply_markup"))
        message_id = next(self._ids)
        text = str(request.params["text"])
        self.recorder.add(chat, text, _buttons(markup), str(message_id), dict(request.params))
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(_as_int(chat)),
            "from": BOT_USER,
            "text": text,
        }
        if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram echoes inline keyboards only
            result["reply_markup"] = markup
        return ok(result)

    def _rules(self, chat: str) -> list[tuple[str, int, float]]:
        rules: list[tuple[str, int, float]] = [("global", self.global_per_second, 1.0)]
        if chat.startswith("-"):
            rules.append((f"chat:{chat}", self.group_per_minute, 60.0))
        else:
            rules.append((f"chat:{chat}", self.private_per_second, 1.0))
        return rules

    def _fault_response(self, fault: faults.Fault) -> Response:
        if fault.kind == faults.RATE_LIMIT:
            return error(
                429, f"Too Many Requests: retry after {fault.retry_after}", retry_after=fault.retry_after
            )
        if fault.kind == faults.BLOCKED:
            return error(403, "Forbidden: bot was blocked by the user")
        if fault.kind == faults.NOT_FOUND:
            return error(400, "Bad Request: chat not found")
        if fault.kind == faults.MIGRATE:
            return error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=_as_int(fault.new_chat_id or "-1001"),
            )
        if fault.kind == faults.UNAUTHORIZED:
            return error(401, "Unauthorized")
        status = fault.status or fault.code or 500
        return error(status, "Internal Server Error" if status >= 500 else f"Error {status}")

    def _get_updates(self, request: Request) -> Response:
        offset = int(request.params.get("offset") or 0)
        limit = int(request.params.get("limit") or 100)
        deadline = time.monotonic() + min(float(request.params.get("timeout") or 0), MAX_POLL_WAIT)
        with self._updates_changed:
            if offset:  # confirms every update before the offset, as Telegram does
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._updates_changed.wait(remaining)
            return ok(self._updates[:limit])

    def _set_webhook(self, request: Request) -> Response:
        url = str(request.params.get("url") or "")
        if url and not url.startswith("https://"):
            return error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(request.params)
        return ok(True)

    def _answer_callback(self, request: Request) -> Response:
        if not request.params.get("callback_query_id"):
            return error(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.answered_callbacks.append(dict(request.params))
        return ok(True)


def _json_param(value: Any) -> Any:
    if isinstance(value, str) and value:
        return json.loads(value)
    return value


def _buttons(markup: Any) -> tuple[FakeButton, ...]:
    if not isinstance(markup, dict):
        return ()
    rows = markup.get("inline_keyboard") or []
    return tuple(FakeButton(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row)


def _as_int(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _chat(chat_id: int | str) -> dict[str, Any]:
    if isinstance(chat_id, str):
        return {"id": -1009999, "type": "channel", "username": chat_id.lstrip("@")}
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Жилец"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Дом"}


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Жилец", "language_code": "ru"}
