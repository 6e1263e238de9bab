"""Outgoing webhooks of an organisation."""
from __future__ import annotations

from typing import Any

from web.openapi.common import INT, NSTR, PAGE, PER_PAGE, STR, TIME, body, errors, json_response, path_id, ref
from workflows.integrations.subscriptions import WEBHOOK_INPUT
from workflows.validation import openapi_schema

ATTEMPT = {"type": "object", "required": ["at", "ok"], "properties": {
    "at": TIME, "status_code": {"type": ["integer", "null"]}, "ok": {"type": "boolean"}, "error": NSTR,
    "duration_ms": INT}}
DELIVERY = {"type": "object", "required": ["id", "event", "state", "attempts"], "properties": {
    "id": STR, "event": STR, "created_at": TIME, "state": {"enum": ["pending", "sending", "sent", "failed"]},
    "next_attempt_at": TIME, "last_error": NSTR, "attempts": {"type": "array", "items": ATTEMPT}}}

PATHS: dict[str, Any] = {
    "/api/v1/webhooks": {
        "post": {"operationId": "webhooks_create",
                 "summary": "Подписать систему организации на события (идемпотентно по external_id). Каждая "
                            "доставка: POST JSON, X-Otklik-Event, X-Otklik-Delivery, X-Otklik-Signature: "
                            "sha256=<HMAC-SHA256 тела на secret>",
                 "requestBody": body(openapi_schema(WEBHOOK_INPUT)),
                 "responses": {"201": json_response(ref("WebhookSubscription"), "создано"),
                               "200": json_response(ref("WebhookSubscription"), "уже было (тот же external_id)"),
                               **errors(401, 403, 422)}},
        "get": {"operationId": "webhooks_list",
                "responses": {"200": json_response({"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "items": ref("WebhookSubscription")}}}), **errors(401, 403)}},
    },
    "/api/v1/webhooks/{subscription_id}": {
        "get": {"operationId": "webhooks_show", "parameters": [path_id("subscription_id")],
                "responses": {"200": json_response(ref("WebhookSubscription")), **errors(401, 403, 404)}},
        "delete": {"operationId": "webhooks_delete", "parameters": [path_id("subscription_id")],
                   "responses": {"204": {"description": "отписано"}, **errors(401, 403, 404)}},
    },
    "/api/v1/webhooks/{subscription_id}/deliveries": {
        "get": {"operationId": "webhooks_deliveries", "parameters": [path_id("subscription_id"), PAGE, PER_PAGE],
                "responses": {"200": json_response({"type": "object", "required": ["items", "total"], "properties": {
                    "items": {"type": "array", "items": DELIVERY}, "total": INT, "page": INT, "per_page": INT}}),
                    **errors(401, 403, 404, 422)}},
    },
    "/api/v1/openapi.json": {
        "get": {"operationId": "openapi_show", "security": [],
                "responses": {"200": json_response({"type": "object", "required": ["openapi", "paths"]})}},
    },
}
