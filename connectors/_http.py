"""A small synchronous JSON-over-HTTP client shared by the httpx-based channels.

It turns transport trouble into ``TemporaryFailure`` so channel code only has to read answers.
``httpx.Client`` is thread-safe, so one instance serves every worker thread.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import httpx

from connectors.base import AuthenticationFailed, DeliveryError, RetryAfter, TemporaryFailure

DEFAULT_RETRY_AFTER = 1.0


class JsonHttp:
    """``request`` returns an ``httpx.Response`` or raises a ``DeliveryError``."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        headers: Mapping[str, str] | None = None,
        max_connections: int = 32,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        self._client = httpx.Client(timeout=timeout, headers=dict(headers or {}), limits=limits, verify=verify)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, f"{self.base_url}{path}", **kwargs)
        except httpx.TimeoutException as exc:
            raise TemporaryFailure(f"timeout: {type(exc).__name__}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise TemporaryFailure(f"network error: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self._client.close()


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON of an answer; an unreadable body is a temporary failure."""
    try:
        return response.json()
    except ValueError as exc:
        raise TemporaryFailure(f"unreadable answer (HTTP {response.status_code})") from exc


def retry_after_header(response: httpx.Response, default: float = DEFAULT_RETRY_AFTER) -> float:
    """Seconds from a ``Retry-After`` header given in seconds; ``default`` when absent or a date."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return default
    return seconds if seconds >= 0 else default


def generic_status_error(response: httpx.Response, reason: str) -> DeliveryError | None:
    """The error for statuses every channel treats alike (429, 401, 5xx); ``None`` otherwise."""
    status = response.status_code
    if status == 429:
        return RetryAfter(retry_after_header(response), f"429 {reason}".strip())
    if status == 401:
        return AuthenticationFailed(f"401 {reason}".strip())
    if status >= 500:
        return TemporaryFailure(f"HTTP {status} {reason}".strip())
    return None
