"""A fake MAX Bot API: ``Authorization: <token>``, ``POST /messages``, ``GET /updates``,
``POST /answers``, ``GET /me``; about 30 requests/s overall, then 429 with ``Retry-After``."""

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


def error(status: int, code: str, message: str, **headers: str) -> Response:
    return Response(status, {"code": code, "message": message}, headers=dict(headers))


class FakeMax(FakeHttpServer):
    """Start with ``with FakeMax() as max_api:``; give a connector ``MAX_API_URL=max_api.url``.

    Messages are recorded under the id given in ``user_id=`` or ``chat_id=`` (``RecordedMessage.raw``
    says which); faults target the same id."""

    def __init__(self, token: str = "max-test-token", requests_per_second: int = 30) -> None:
        super().__init__()
        self.token = token
        self.requests_per_second = requests_per_second
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
