"""Messenger webhooks: POST /webhooks/telegram, /webhooks/max and /webhooks/vk (no CSRF: checked by a secret)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from workflows.delivery import receive_update
from workflows.delivery.vk_callback import vk_callback
from workflows.delivery.webhooks import check_webhook
from workflows.errors import ValidationFailed

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def _update_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("ожидался JSON-объект обновления")
    return body


@bp.post("/<any(telegram, max):channel>")
def webhook_receive(channel: str) -> Any:
    check_webhook(channel, request.headers)
    receive_update(channel, _update_body())
    return jsonify({"ok": True})


@bp.post("/vk")
def webhook_vk() -> Response:
    """VK Callback API: answers the confirmation code or the plain text "ok"."""
    answer = vk_callback(request.get_json(silent=True))
    return Response(answer, mimetype="text/plain")
