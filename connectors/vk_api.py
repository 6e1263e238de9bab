"""A minimal VK API client: ``POST {VK_API_URL}/method/<name>`` with ``access_token`` and ``v``.

VK answers HTTP 200 with ``{"response": ...}`` or ``{"error": {"error_code", "error_msg"}}``; the
code tables below are data so they can be corrected without touching the logic.
"""

from __future__ import annotations

from typing import Any

from connectors._http import JsonHttp, generic_status_error, json_body
from connectors.base import (
    DeliveryError,
    ErrorCodes,
    MessageRejected,
    TemporaryFailure,
)

DEFAULT_API_URL = "https://api.vk.com"
API_VERSION = "5.199"

# 6 too many requests per second (the token's per-second limit: wait a second);
# 9 flood control (too many messages to one peer: that peer waits a minute, others go on);
# 29 rate limit reached (the method's quota for the token, counted per day: wait an hour, and let the
# delivery's retry budget end it with the fallback channel instead of retrying every second for ever).
RETRY_AFTER_SECONDS: dict[int, float] = {6: 1.0, 9: 60.0, 29: 3600.0}
RECIPIENT_SCOPED = frozenset({9})
# 1 unknown error, 10 internal server error, 603 internal error in a chat.
TEMPORARY_CODES = frozenset({1, 10, 603})
# 5 authorization failed, 27 group token invalid, 28 application token invalid.
AUTH_CODES = frozenset({5, 27, 28})
# 7 permission denied, 15 access denied, 18 user deleted or banned, 30 private profile,
# 113 invalid user id, 900 blacklisted, 901 no permission to message the user, 902 privacy
# settings, 917 no access to the chat, 936 contact not found, 945 chat disabled.
UNREACHABLE_CODES = frozenset({7, 15, 18, 30, 113, 900, 901, 902, 917, 936, 945})


class VkApiError(Exception):
    """An ``error`` object VK answered with."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"VK error {code}: {message}")
        self.code = code
        self.message = message


class VkApi:
    """Thread-safe VK method caller; failures are ``DeliveryError`` subclasses."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, timeout: float = 10.0) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._http = JsonHttp(self.api_url, timeout)

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """The ``response`` of a VK method, or the ``DeliveryError`` its ``error`` stands for."""
        form = {key: str(value) for key, value in params.items() if value is not None}
        form.update(access_token=self._token, v=API_VERSION)
        response = self._http.request("POST", f"/method/{method}", data=form)
        if response.status_code != 200:
            common = generic_status_error(response, f"VK {method}")
            raise common or MessageRejected(f"HTTP {response.status_code} from VK {method}")
        data = json_body(response)
        if isinstance(data, dict) and "error" in data:
            error = data["error"] or {}
            raise map_vk_error(int(error.get("error_code", 0)), str(error.get("error_msg", "")))
        if not isinstance(data, dict) or "response" not in data:
            raise TemporaryFailure(f"VK {method} answered without response")
        return data["response"]

    def wall_get(self, owner_id: int, count: int = 100, offset: int = 0) -> dict[str, Any]:
        """``wall.get``: ``{"count", "items": [post]}`` of a community or user wall."""
        return dict(self.call("wall.get", {"owner_id": owner_id, "count": count, "offset": offset}))

    def wall_get_comments(
        self, owner_id: int, post_id: int, count: int = 100, offset: int = 0
    ) -> dict[str, Any]:
        """``wall.getComments``: ``{"count", "items": [comment]}`` of one post."""
        params = {"owner_id": owner_id, "post_id": post_id, "count": count, "offset": offset}
        return dict(self.call("wall.getComments", params))

    def newsfeed_search(self, query: str, count: int = 100, start_from: str | None = None) -> dict[str, Any]:
        """``newsfeed.search``: ``{"items", "count", "total_count", "next_from"}``."""
        params = {"q": query, "count": count, "start_from": start_from}
        return dict(self.call("newsfeed.search", params))

    def close(self) -> None:
        self._http.close()


CODES = ErrorCodes(RETRY_AFTER_SECONDS, TEMPORARY_CODES, AUTH_CODES, UNREACHABLE_CODES, RECIPIENT_SCOPED)


def map_vk_error(code: int, message: str) -> DeliveryError:
    """The ``DeliveryError`` for a VK ``error_code``; unknown codes are permanent for the message."""
    return CODES.error(code, f"VK error {code}: {message}")
