"""A fake MAX Bot API as ``platform-api2.max.ru`` behaves: ``Authorization: <token>`` only (a token in
the query string is refused), ``POST /messages`` (at most 2 messages/s into one chat), ``GET /updates``
(at least 300 ms between polls), ``POST /answers``, ``GET /me``, ``GET|POST|DELETE /subscriptions``;
about 30 requests/s overall, then 429 with ``Retry-After``.

``FakeMax(retired_to=URL)`` plays the retired host instead: every request answers 301 to ``URL``.
Serve it over TLS by setting ``fake.tls`` (see ``tests.fakes.tls``) before starting it."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from tests.fakes import faults
from tests.fakes.http_server import FakeHttpServer, Request, Response
from tests.fakes.recorder import FakeButton

BOT_ID = 800000001
MAX_POLL_WAIT = 5.0
PER_CHAT_PER_SECOND = 2  # MAX: at most 2 messages a second into one chat
MIN_POLL_INTERVAL = 0.3  # MAX: at least 300 ms between two GET /updates


def error(status: int, code: str, message: str, **headers: str) -> Response:
    return Response(status, {"code": code, "message": message}, headers=dict(headers))


class FakeMax(FakeHttpServer):
    """Start with ``with FakeMax() as max_api:``; give a connector ``MAX_API_URL=max_api.url``.

    Messages are recorded under the id given in ``user_id=`` or ``chat_id=`` (``RecordedMessage.raw``
    says which); faults target the same id."""

    def __init__(
        self, token: str = "max-test-token", requests_per_second: int = 30, retired_to: str | None = None
    ) -> None:
        super().__init__()
        self.token = token
        self.requests_per_second = requests_per_second
        self.retired_to = retired_to
        self.subscriptions: list[dict[str, Any]] = []
        self.poll_too_soon = 0  # GET /updates refused for coming within 300 ms of the previous one
        self._last_poll: float | None = None
        self.answered_callbacks: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._marker = itertools.count(1)
        self._updates: list[tuple[int, dict[str, Any]]] = []
        self._updates_changed = threading.Condition()

    # -- updates a test feeds to GET /updates ----------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("timestamp", int(time.time() * 1000))
        with self._updates_changed:
            self._updates.append((next(self._marker), update))
            self._updates_changed.notify_all()
        return update

    def push_message(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"mid": f"mid.{next(self._ids):016x}", "seq": next(self._ids), "text": text}
        if attachments:
            body["attachments"] = attachments
        message = {
            "sender": _user(user_id),
            "recipient": _recipient(user_id, chat_id),
            "body": body,
            "timestamp": int(time.time() * 1000),
        }
        return self.push_update({"update_type": "message_created", "message": message, "user_locale": "ru"})

    def push_contact(
        self, user_id: int, phone: str, owner_id: int | None = None, chat_id: int | None = None
    ) -> dict[str, Any]:
        owner = owner_id if owner_id is not None else user_id
        vcard = f"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=cell:{phone}\r\nFN:Жилец\r\nEND:VCARD"
        contact = {"type": "contact", "payload": {"vcf_info": vcard, "max_info": _user(owner)}}
        return self.push_message(user_id, "", chat_id, attachments=[contact])

    def push_callback(self, user_id: int, payload: str, chat_id: int | None = None) -> dict[str, Any]:
        callback = {
            "timestamp": int(time.time() * 1000),
            "callback_id": f"cb.{next(self._ids)}",
            "user": _user(user_id),
            "payload": payload,
        }
        message = {
            "sender": _user(BOT_ID, bot=True),
            "recipient": _recipient(user_id, chat_id),
            "body": {"mid": f"mid.{next(self._ids):016x}", "seq": 1, "text": "notice"},
        }
        return self.push_update({"update_type": "message_callback", "callback": callback, "message": message})

    def on_stop(self) -> None:
        with self._updates_changed:
            self._updates_changed.notify_all()

    # -- the API ---------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        route = f"{request.method} {request.path.rstrip('/')}"
        self.recorder.count(f"call:{route}")
        if self.retired_to is not None:
            return error(301, "moved", "Moved Permanently", Location=f"{self.retired_to}{request.path}")
        if "access_token" in request.params:
            return error(401, "verify.token", "access_token in the query is not supported: use Authorization")
        if request.headers.get("authorization") != self.token:
            return error(401, "verify.token", "Invalid access_token")
        wait = self.limited([("global", self.requests_per_second, 1.0)])
        if wait is not None:
            return error(429, "too.many.requests", "Too many requests", **{"Retry-After": str(wait)})
        handler = {
            "POST /messages": self._send_message,
            "GET /updates": self._get_updates,
            "POST /answers": self._answer,
            "GET /me": lambda r: Response(200, _user(BOT_ID, bot=True)),
            "GET /subscriptions": lambda r: Response(200, {"subscriptions": list(self.subscriptions)}),
            "POST /subscriptions": self._subscribe,
            "DELETE /subscriptions": self._unsubscribe,
        }.get(route)
        if handler is None:
            return error(404, "not.found", f"Path {request.path} not found")
        return handler(request)

    def _send_message(self, request: Request) -> Response:
        target = "chat_id" if "chat_id" in request.params else "user_id"
        chat = str(request.params.get(target, ""))
        fault = self.take_fault(chat)
        if fault is not None:
            return self._fault_response(fault, chat)
        if not chat or not isinstance(request.params.get("text"), str):
            return error(400, "proto.payload", "text or recipient missing")
        wait = self.limited([(f"chat:{chat}", PER_CHAT_PER_SECOND, 1.0)])
        if wait is not None:
            return error(429, "too.many.requests", "Too many messages to one chat", **{"Retry-After": str(wait)})
        mid = f"mid.{next(self._ids):016x}"
        text = request.params["text"]
        attachments = request.params.get("attachments") or []
        self.recorder.add(chat, text, _buttons(attachments), mid, {"target": target, **request.params})
        recipient = {"chat_id": int(chat), "chat_type": "chat" if target == "chat_id" else "dialog"}
        body = {"mid": mid, "seq": next(self._ids), "text": text, "attachments": attachments}
        message = {
            "sender": _user(BOT_ID, bot=True),
            "recipient": recipient,
            "body": body,
            "timestamp": int(time.time() * 1000),
        }
        return Response(200, {"message": message})

    def _fault_response(self, fault: faults.Fault, chat: str) -> Response:
        if fault.kind == faults.RATE_LIMIT:
            return error(
                429, "too.many.requests", "Too many requests", **{"Retry-After": str(fault.retry_after)}
            )
        if fault.kind == faults.BLOCKED:
            return error(403, "chat.denied", f"chat.denied: bot is blocked by user {chat}")
        if fault.kind == faults.NOT_FOUND:
            return error(404, "chat.not.found", f"Chat {chat} not found")
        if fault.kind == faults.UNAUTHORIZED:
            return error(401, "verify.token", "Invalid access_token")
        status = fault.status or fault.code or 500
        return error(status, "internal.error" if status >= 500 else "proto.payload", f"Error {status}")

    def _get_updates(self, request: Request) -> Response:
        now = time.monotonic()
        with self._updates_changed:
            too_soon = self._last_poll is not None and now - self._last_poll < MIN_POLL_INTERVAL
            self._last_poll = now
        if too_soon and self.enforce_limits:
            self.poll_too_soon += 1
            return error(429, "too.many.requests", "Poll no more often than every 300 ms", **{"Retry-After": "1"})
        marker = int(request.params.get("marker") or 0)
        limit = int(request.params.get("limit") or 100)
        deadline = time.monotonic() + min(float(request.params.get("timeout") or 0), MAX_POLL_WAIT)
        with self._updates_changed:
            while not self._pending(marker) and not self._stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._updates_changed.wait(remaining)
            pending = self._pending(marker)[:limit]
        next_marker = pending[-1][0] + 1 if pending else max(marker, 1)
        return Response(200, {"updates": [u for _, u in pending], "marker": next_marker})

    def _pending(self, marker: int) -> list[tuple[int, dict[str, Any]]]:
        return [(m, u) for m, u in self._updates if m >= marker]

    def _subscribe(self, request: Request) -> Response:
        url = str(request.params.get("url") or "")
        if not url.startswith("https://"):
            return error(400, "proto.payload", "url must be https")
        secret = request.params.get("secret")
        if secret is not None and not (5 <= len(str(secret)) <= 256):
            return error(400, "proto.payload", "secret must be 5 to 256 characters")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        self.subscriptions.append({"url": url, "time": int(time.time() * 1000),
                                   "update_types": request.params.get("update_types"), "secret": secret})
        return Response(200, {"success": True})

    def _unsubscribe(self, request: Request) -> Response:
        url = str(request.params.get("url") or "")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        return Response(200, {"success": True})

    def _answer(self, request: Request) -> Response:
        if not request.params.get("callback_id"):
            return error(400, "proto.payload", "callback_id is required")
        self.answered_callbacks.append(dict(request.params))
        return Response(200, {"success": True})


def _buttons(attachments: list[dict[str, Any]]) -> tuple[FakeButton, ...]:
    found: list[FakeButton] = []
    for attachment in attachments:
        if attachment.get("type") == "inline_keyboard":
            rows = (attachment.get("payload") or {}).get("buttons") or []
            found.extend(FakeButton(b.get("text", ""), b.get("payload", "")) for row in rows for b in row)
    return tuple(found)


def _recipient(user_id: int, chat_id: int | None) -> dict[str, Any]:
    if chat_id is not None:
        return {"chat_id": chat_id, "chat_type": "chat"}
    return {"chat_id": -(user_id + 10**9), "chat_type": "dialog", "user_id": BOT_ID}


def _user(user_id: int, bot: bool = False) -> dict[str, Any]:
    name = "Otklik" if bot else "Жилец"
    return {
        "user_id": user_id,
        "first_name": name,
        "name": name,
        "is_bot": bot,
        "last_activity_time": int(time.time() * 1000),
    }
