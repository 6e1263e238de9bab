"""Throttling with Flask-Limiter: logins per account and per address, public pages and Open311 per address.

Storage is Redis when the queue is Redis (every web process counts together), process memory otherwise.
Answers over a limit are 429 with `Retry-After`. Limits are configuration (`OTKLIK_RATELIMIT_*`):

- `RATELIMIT_LOGIN_ACCOUNT` — failed logins of one account; several windows, so the wait grows with the
  failures (after 5 in a minute wait a minute, after 10 in 15 minutes wait out the quarter hour, after 30
  in a day the account waits for tomorrow); a correct password inside a closed window is refused too;
- `RATELIMIT_LOGIN_IP` — login attempts from one address;
- `RATELIMIT_PUBLIC` — the public outage pages, feeds and their JSON, per address;
- `RATELIMIT_OPEN311` — Open311, per address.

Behind a reverse proxy the address is the proxy's unless the app is wrapped in Werkzeug's ProxyFix.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

DEFAULTS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_LOGIN_ACCOUNT": "5 per minute;10 per 15 minutes;30 per day",
    "RATELIMIT_LOGIN_IP": "30 per minute;300 per hour",
    "RATELIMIT_PUBLIC": "120 per minute",
    "RATELIMIT_OPEN311": "120 per minute",
}
PUBLIC_API_ENDPOINTS = ("api.public_outages",)
TOO_MANY = "слишком много запросов: повторите позже (см. Retry-After)"


def _account() -> str:
    return "login:" + (request.form.get("login") or "").strip().lower()[:80]


def _failed(response: Response) -> bool:
    """A login that did not succeed (a success redirects)."""
    return response.status_code != 302


def _storage(app: Flask) -> str:
    queue = str(app.config.get("QUEUE_URL") or "")
    return queue if queue.startswith(("redis://", "rediss://")) else "memory://"


def _setting(app: Flask, key: str) -> Any:
    """The limit is read at each request, so a changed configuration applies at once."""
    return lambda: str(app.config[key])


def _wrap(app: Flask, limiter: Limiter, endpoint: str, limit: Any, **options: Any) -> None:
    view: Any = app.view_functions.get(endpoint)
    if view is not None:
        app.view_functions[endpoint] = limiter.limit(limit, error_message=TOO_MANY, **options)(view)


def init_app(app: Flask) -> None:
    """After every blueprint is registered: wraps the login view and limits the public blueprints."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", _storage(app))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "otklik-limits")
    limiter = Limiter(get_remote_address, app=app)
    _wrap(app, limiter, "auth.login", _setting(app, "RATELIMIT_LOGIN_ACCOUNT"), key_func=_account,
          methods=["POST"], deduct_when=_failed, scope="login-account")
    _wrap(app, limiter, "auth.login", _setting(app, "RATELIMIT_LOGIN_IP"), methods=["POST"], scope="login-ip")
    for endpoint in PUBLIC_API_ENDPOINTS:
        _wrap(app, limiter, endpoint, _setting(app, "RATELIMIT_PUBLIC"), scope="public")
    for name, key in (("public_outages", "RATELIMIT_PUBLIC"), ("open311", "RATELIMIT_OPEN311")):
        blueprint = app.blueprints.get(name)
        if blueprint is not None:
            rule: Any = limiter.limit(_setting(app, key), scope=name, error_message=TOO_MANY)
            rule(blueprint)
    app.extensions["otklik.limiter"] = limiter
