"""Parsing query and body parameters into typed values with field errors."""
from __future__ import annotations

from typing import Any

from flask import g, request

from workflows.errors import Forbidden, ValidationFailed


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", {"body": "expected a JSON object"})
    return data


def int_arg(name: str, default: int | None = None, minimum: int = 1, maximum: int = 10**9) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed(f"{name} must be a whole number", {name: "expected a whole number"}) from None
    if not minimum <= value <= maximum:
        raise ValidationFailed(f"{name} is out of range", {name: f"between {minimum} and {maximum}"})
    return value


def override_reason(raw: Any) -> str | None:
    """An admin may deploy over failing scenarios with a written reason (it goes to the audit log)."""
    reason = str(raw or "").strip()
    if not reason:
        return None
    if g.user.role != "admin":
        raise Forbidden("развернуть вопреки сценариям может только администратор")
    if len(reason) < 10 or len(reason) > 2000:
        raise ValidationFailed("причина: от 10 до 2000 символов", {"override_reason": "от 10 до 2000 символов"})
    return reason
