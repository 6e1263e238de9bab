"""Response headers every answer carries, and the session cookie's flags.

- `Content-Security-Policy`: scripts, styles, fonts and connections from this site only — no inline
  script, no `eval`, no inline style attributes; pictures also as `data:`/`blob:` (the modelers export
  SVG/PNG that way); nothing may frame the pages (`frame-ancestors 'none'`), forms post here only.
- `X-Frame-Options: DENY` for browsers without CSP level 2, `X-Content-Type-Options: nosniff`,
  `Referrer-Policy: same-origin` (no addresses of our pages leak to other sites).
- The session cookie is `Secure` unless `OTKLIK_ENV=development` (plain-HTTP development only), and
  always `HttpOnly` and `SameSite=Lax`.
"""
from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# The decision-table editor (dmn-js) sizes its columns with inline style attributes; on the designer's
# screens styles may be inline (scripts still may not). Every other page keeps the strict policy.
DESIGNER_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if (request.endpoint or "").startswith("designer."):
        response.headers["Content-Security-Policy"] = DESIGNER_CSP
    return response


def init_app(app: Flask) -> None:
    """The cookie flags are configuration (`web.config`: `SESSION_COOKIE_SECURE` follows `OTKLIK_ENV`)."""
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.after_request(add_headers)
