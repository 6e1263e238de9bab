"""Where a `next` parameter may send a browser: only a path on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect
from werkzeug.wrappers import Response


def local_path(target: str | None) -> str | None:
    """`target` when it is a plain local path (`/inbox?x=1`), else None.

    Refused: anything with a scheme or host, `//host` and `/\\host` (browsers read both as another
    site), and any control character or backslash — browsers drop tabs and newlines, so
    `/%09/evil.example` would become `//evil.example`.
    """
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def redirect_next(target: str | None, default: str) -> Response:
    """Redirect to `target` if it is a local path, otherwise to `default`."""
    return redirect(local_path(target) or default)
