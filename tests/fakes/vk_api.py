"""A fake VK API: ``{url}/method/<name>`` (GET query or POST form) with ``access_token`` and ``v``.

``messages.send`` drops repeats of a ``random_id`` for one peer (answering the first message id),
as VK does.  ``wall.get``, ``wall.getComments`` and ``newsfeed.search`` serve fixture data added with
``add_post`` / ``add_comment``.  20 requests/s overall, then error 6 in an HTTP 200 answer.
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

ERROR_TEXTS = {
    5: "User authorization failed: invalid access_token",
    6: "Too many requests per second",
    10: "Internal server error",
    100: "One of the parameters specified was missing or invalid",
    901: "Can't send messages for users without permission",
    936: "Contact not found",
}


def vk_error(code: int, params: dict[str, Any], message: str | None = None) -> Response:
    request_params = [{"key": k, "value": str(v)} for k, v in params.items() if k != "access_token"]
    text = message or ERROR_TEXTS.get(code, f"Error {code}")
    return Response(200, {"error": {"error_code": code, "error_msg": text, "request_params": request_params}})


def vk_ok(response: Any) -> Response:
    return Response(200, {"response": response})


class FakeVk(FakeHttpServer):
    """Start with ``with FakeVk() as vk:``; give a connector ``VK_API_URL=vk.url``."""

    def __init__(self, token: str = "vk-test-token", requests_per_second: int = 20) -> None:
        super().__init__()
        self.token = token
        self.requests_per_second = requests_per_second
        self.duplicates = 0  # messages.send calls VK dropped for a repeated random_id
        self.event_answers: list[dict[str, Any]] = []  # messages.sendMessageEventAnswer calls
        self.open_events: dict[str, tuple[str, str]] = {}  # event_id -> (user_id, peer_id) awaiting an answer
        self.posts: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._sent: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    # -- fixture data for the readers ------------------------------------------------------------
    def add_post(self, owner_id: int, text: str, date: int | None = None, **extra: Any) -> dict[str, Any]:
        post = {
            "id": next(self._ids),
            "owner_id": owner_id,
            "from_id": owner_id,
            "date": date or int(time.time()),
            "post_type": "post",
            "text": text,
            "comments": {"count": 0},
            **extra,
        }
        self.posts.append(post)
        return post

    def add_comment(
        self, post: dict[str, Any], from_id: int, text: str, date: int | None = None
    ) -> dict[str, Any]:
        comment = {
            "id": next(self._ids),
            "from_id": from_id,
            "post_id": post["id"],
            "owner_id": post["owner_id"],
            "parents_stack": [],
            "date": date or int(time.time()),
            "text": text,
        }
        self.comments.append(comment)
        post["comments"]["count"] += 1
        return comment

    # -- the API ---------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        method = request.path.removeprefix("/method/")
        params = request.params
        self.recorder.count(f"call:{method}")
        if params.get("access_token") != self.token:
            return vk_error(5, params)
        if not params.get("v"):
            return vk_error(8, params, "Invalid request: v (version) is required")
        if self.limited([("global", self.requests_per_second, 1.0)]) is not None:
            self.recorder.count("429")  # VK's "429" is error 6 in an HTTP 200
            return vk_error(6, params)
        handler = {
            "messages.send": self._send,
            "messages.sendMessageEventAnswer": self._answer_event,
            "wall.get": self._wall_get,
            "wall.getComments": self._wall_comments,
            "newsfeed.search": self._search,
        }.get(method)
        if handler is None:
            return vk_error(3, params, "Unknown method passed")
        return handler(params)

    def _send(self, params: dict[str, Any]) -> Response:
        peer = str(params.get("peer_id") or params.get("user_id") or "")
        fault = self.take_fault(peer)
        if fault is not None:
            return self._fault_response(fault, params)
        if not peer or "random_id" not in params or not (params.get("message") or params.get("attachment")):
            return vk_error(100, params)
        key = (peer, str(params["random_id"]))
        with self._lock:
            if key in self._sent and key[1] != "0":
                self.duplicates += 1
                return vk_ok(self._sent[key])
            message_id = next(self._ids)
            self._sent[key] = message_id
        keyboard = json.loads(params["keyboard"]) if params.get("keyboard") else {}
        self.recorder.add(
            peer, str(params.get("message", "")), _buttons(keyboard), str(message_id), dict(params)
        )
        return vk_ok(message_id)

    def _answer_event(self, params: dict[str, Any]) -> Response:
        """VK accepts an answer only for a pressed button it sent (event_id with its user and peer), once."""
        event_id = str(params.get("event_id") or "")
        expected = self.open_events.pop(event_id, None)
        if expected is None or expected != (str(params.get("user_id")), str(params.get("peer_id"))):
            return vk_error(100, params, "One of the parameters specified was missing or invalid: event_id")
        data = json.loads(params["event_data"]) if params.get("event_data") else None
        self.event_answers.append({"event_id": event_id, "user_id": expected[0], "peer_id": expected[1],
                                   "event_data": data})
        return vk_ok(1)

    def _fault_response(self, fault: faults.Fault, params: dict[str, Any]) -> Response:
        if fault.kind == faults.RATE_LIMIT:
            self.recorder.count("429")
            return vk_error(6, params)
        if fault.kind == faults.BLOCKED:
            return vk_error(901, params)
        if fault.kind == faults.NOT_FOUND:
            return vk_error(936, params)
        if fault.kind == faults.UNAUTHORIZED:
            return vk_error(5, params)
        if fault.kind == faults.SERVER_ERROR and fault.status:
            return Response(fault.status, b"<html>Bad Gateway</html>")
        return vk_error(fault.code or 10, params)

    def _wall_get(self, params: dict[str, Any]) -> Response:
        owner = int(params.get("owner_id") or 0)
        items = sorted((p for p in self.posts if p["owner_id"] == owner), key=lambda p: -p["date"])
        return vk_ok(_page(items, params))

    def _wall_comments(self, params: dict[str, Any]) -> Response:
        owner, post_id = int(params.get("owner_id") or 0), int(params.get("post_id") or 0)
        items = [c for c in self.comments if c["owner_id"] == owner and c["post_id"] == post_id]
        page = _page(items, params)
        page.update(current_level_count=page["count"], can_post=True, show_reply_button=True)
        return vk_ok(page)

    def _search(self, params: dict[str, Any]) -> Response:
        query = str(params.get("q", "")).lower()
        items = sorted((p for p in self.posts if query in p["text"].lower()), key=lambda p: -p["date"])
        count = int(params.get("count") or 30)
        start = int(params.get("start_from") or 0)
        chunk = items[start : start + count]
        answer: dict[str, Any] = {"items": chunk, "count": len(chunk), "total_count": len(items)}
        if start + count < len(items):
            answer["next_from"] = str(start + count)
        return vk_ok(answer)


def _page(items: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    offset, count = int(params.get("offset") or 0), int(params.get("count") or 20)
    return {"count": len(items), "items": items[offset : offset + count]}


def _buttons(keyboard: dict[str, Any]) -> tuple[FakeButton, ...]:
    found = []
    for row in keyboard.get("buttons") or []:
        for button in row:
            action = button.get("action") or {}
            payload = json.loads(action.get("payload") or "{}")
            found.append(FakeButton(action.get("label", ""), str(payload.get("payload", ""))))
    return tuple(found)
