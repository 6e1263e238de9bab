"""VK Callback API requests: the confirmation handshake, the secret check, then the shared inbound path.

Settings (`OTKLIK_` + name): `VK_CALLBACK_SECRET` (the community's `secret_key`; without it the endpoint is
off), `VK_CONFIRMATION_CODE` (the string VK shows in the community's Callback API settings) and optionally
`VK_GROUP_ID` (events of any other community are refused).  Everything else VK sends is stored once by its
event id and answered `ok`, including repeats and types the service ignores, so VK stops resending it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from connectors.vk_inbound import secret_ok
from workflows.delivery.inbound import receive_update
from workflows.errors import Forbidden, NotFound, ValidationFailed

OK = "ok"


def _setting(name: str) -> str:
    return str(current_app.config.get(name) or "").strip()


def vk_callback(body: Any) -> str:
    """The plain-text answer for one Callback API request.  Commits."""
    secret = _setting("VK_CALLBACK_SECRET")
    if not secret:
        raise NotFound("вебхук ВКонтакте не включён")
    if not isinstance(body, Mapping) or not isinstance(body.get("type"), str):
        raise ValidationFailed("ожидался JSON-объект события ВКонтакте с полем type")
    group = _setting("VK_GROUP_ID")
    if group and str(body.get("group_id", "")) != group:
        raise Forbidden("событие другого сообщества")
    if body["type"] == "confirmation":
        code = _setting("VK_CONFIRMATION_CODE")
        if not code:
            raise NotFound("не задан код подтверждения сервера (OTKLIK_VK_CONFIRMATION_CODE)")
        return code
    if not secret_ok(body, secret):
        raise Forbidden("неверный секрет вебхука")
    receive_update("vk", body)
    return OK
