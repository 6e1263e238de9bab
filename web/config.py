"""Configuration: embedded defaults, then `OTKLIK_*` environment variables, then explicit overrides."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from web.guard import DEFAULTS as INPUT_LIMITS
from workflows import citytime

DEFAULT_RATES = {"TELEGRAM_RATE": 25, "MAX_RATE": 25, "VK_RATE": 15, "SMTP_RATE": 10, "SMS_RATE": 10}


def instance_path() -> str:
    return os.environ.get("OTKLIK_INSTANCE_PATH") or os.path.join(os.getcwd(), "instance")


def _secret_key(folder: Path) -> str:
    """A key generated once and kept under instance/ (readable by the owner only)."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    folder = Path(app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    app.config.update(
        DATABASE_URL=f"sqlite:///{folder / 'otklik.db'}",
        QUEUE_URL=f"sqlite:///{folder / 'queue.db'}",
        TIMEZONE=citytime.DEFAULT_ZONE,
        QUEUE_IMMEDIATE=False,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=None,  # decided below from OTKLIK_ENV unless set explicitly
        ENV="production",
        JSON_AS_ASCII=False,
        **DEFAULT_RATES,
        **INPUT_LIMITS,
    )
    app.config.from_prefixed_env("OTKLIK")
    app.config.update(overrides or {})
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = str(app.config["ENV"]).lower() != "development"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(folder)
    url = str(app.config["DATABASE_URL"])
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(url))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_size": 10, "max_overflow": 20}  # checked before use when idle: workflows.db.ping_when_idle
