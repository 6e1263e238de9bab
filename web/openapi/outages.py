"""Outages, public outages and building representatives (shapes owned by the outages feature: kept loose)."""
from __future__ import annotations

from typing import Any

from web.openapi.common import (
    ANY_OBJ,
    BOOL,
    INT,
    NSTR,
    OPTIONAL_ID,
    PAGE,
    PER_PAGE,
    STR,
    body,
    errors,
    json_response,
    path_id,
    query,
)
from workflows import resources
from workflows.outages.input import OUTAGE_INPUT, OUTAGE_PREVIEW, OUTAGE_RESTORE, OUTAGE_UPDATE
from workflows.outages.representatives import REPRESENTATIVE_INPUT
from workflows.validation import openapi_schema

RESOURCES = list(resources.RESOURCES)
MONTH = "^[0-9]{4}-[0-9]{2}$"
STATS = {"type": "object", "required": ["total", "sent", "failed", "pending", "acknowledged"],
         "properties": {k: INT for k in ("total", "sent", "failed", "pending", "acknowledged")}}
LIST = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ANY_OBJ}}}
AFFECTED = {"type": "object", "required": ["count", "affected_buildings"], "properties": {
    "count": INT, "affected_buildings": {"type": "array", "items": {
        "type": "object", "required": ["id", "address"],
        "properties": {"id": INT, "address": STR, "district": NSTR, "notifications_enabled": BOOL}}}}}

PATHS: dict[str, Any] = {
    "/api/v1/outages": {
        "post": {"operationId": "outages_create", "requestBody": body(openapi_schema(OUTAGE_INPUT)),
                 "responses": {"201": json_response(ANY_OBJ, "создано"), "200": json_response(ANY_OBJ, "уже было"),
                               **errors(401, 403, 404, 409, 422)}},
        "get": {"operationId": "outages_list",
                "parameters": [query("status", STR), query("resource", STR), query("kind", STR),
                               query("organization_id", OPTIONAL_ID), query("building_id", OPTIONAL_ID),
                               query("current", {"enum": ["true", "false"]}), PAGE, PER_PAGE],
                "responses": {"200": json_response(LIST), **errors(401, 422)}},
    },
    "/api/v1/outages/preview": {
        "post": {"operationId": "outages_preview", "summary": "Какие дома затронет регистрация (ничего не сохраняет)",
                 "requestBody": body(openapi_schema(OUTAGE_PREVIEW)),
                 "responses": {"200": json_response(AFFECTED), **errors(401, 403, 422)}},
    },
    "/api/v1/outages/{outage_id}": {
        "get": {"operationId": "outages_show", "parameters": [path_id("outage_id")],
                "responses": {"200": json_response(ANY_OBJ), **errors(401, 404)}},
        "patch": {"operationId": "outages_update", "parameters": [path_id("outage_id")],
                  "requestBody": body(openapi_schema(OUTAGE_UPDATE)),
                  "responses": {"200": json_response(ANY_OBJ), **errors(401, 403, 404, 409, 422)}},
    },
    "/api/v1/outages/{outage_id}/restore": {
        "post": {"operationId": "outages_restore", "parameters": [path_id("outage_id")],
                 "requestBody": body(openapi_schema(OUTAGE_RESTORE), required=False),
                 "responses": {"200": json_response(ANY_OBJ), **errors(401, 403, 404, 409, 422)}},
    },
    "/api/v1/outages/{outage_id}/deliveries": {
        "get": {"operationId": "outages_deliveries", "parameters": [path_id("outage_id")],
                "responses": {"200": json_response(STATS), **errors(401, 404)}},
    },
    "/api/v1/ledger": {
        "get": {"operationId": "ledger_list",
                "parameters": [{**query("month", {"type": "string", "pattern": MONTH}), "required": True},
                               query("building_id", OPTIONAL_ID), query("resource", {"enum": RESOURCES})],
                "responses": {"200": json_response(LIST), **errors(401, 422)}},
    },
    "/api/v1/public/outages": {
        "get": {"operationId": "public_outages", "security": [],
                "parameters": [query("address", {"type": "string", "maxLength": 300}),
                               query("building_id", OPTIONAL_ID)],
                "responses": {"200": json_response(ANY_OBJ), **errors(404, 422, 429)}},
    },
    "/api/v1/buildings/{building_id}/representatives": {
        "post": {"operationId": "representatives_create", "parameters": [path_id("building_id")],
                 "requestBody": body(openapi_schema(REPRESENTATIVE_INPUT)),
                 "responses": {"201": json_response(ANY_OBJ, "создано"), "200": json_response(ANY_OBJ, "уже было"),
                               **errors(401, 403, 404, 409, 422)}},
        "get": {"operationId": "representatives_list", "parameters": [path_id("building_id")],
                "responses": {"200": json_response(LIST), **errors(401, 403, 404)}},
    },
}
