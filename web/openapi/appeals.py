"""Appeals and categories."""
from __future__ import annotations

from typing import Any

from web.openapi.common import (
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
    ref,
)
from workflows.appeals.input import APPEAL_CONFIRMATION, APPEAL_EXTENSION, APPEAL_INPUT
from workflows.validation import openapi_schema

APPEAL_LIST = {"type": "object", "required": ["items", "total", "page"], "properties": {
    "items": {"type": "array", "items": ref("Appeal")}, "total": INT, "page": INT, "per_page": INT}}

PATHS: dict[str, Any] = {
    "/api/v1/appeals": {
        "post": {"operationId": "appeals_create", "summary": "Зарегистрировать обращение (идемпотентно по "
                 "channel + external_id: повтор отвечает 200 с первым обращением)",
                 "requestBody": body(openapi_schema(APPEAL_INPUT)),
                 "responses": {"201": json_response(ref("Appeal"), "создано"),
                               "200": json_response(ref("Appeal"), "уже было (тот же external_id)"),
                               **errors(401, 403, 422)}},
        "get": {"operationId": "appeals_list", "summary": "Обращения, видимые вызывающему",
                "parameters": [query("status", STR), query("organization_id", OPTIONAL_ID), query("category", STR),
                               query("building_id", OPTIONAL_ID), query("overdue", {"enum": ["true", "false"]}),
                               query("working", {"enum": ["true", "false"]}),
                               query("phone", STR), PAGE, PER_PAGE],
                "responses": {"200": json_response(APPEAL_LIST), **errors(401, 422)}},
    },
    "/api/v1/appeals/{appeal_id}": {
        "get": {"operationId": "appeals_show", "summary": "Обращение с историей",
                "parameters": [path_id("appeal_id")],
                "responses": {"200": json_response(ref("Appeal")), **errors(401, 404)}},
    },
    "/api/v1/appeals/{appeal_id}/extension": {
        "post": {"operationId": "appeals_extend", "summary": "Продлить срок ответа на письменное обращение (59-ФЗ)",
                 "parameters": [path_id("appeal_id")],
                 "requestBody": body(openapi_schema(APPEAL_EXTENSION)),
                 "responses": {"200": json_response(ref("Appeal")), **errors(401, 403, 404, 409, 422)}},
    },
    "/api/v1/appeals/{appeal_id}/confirmation": {
        "post": {"operationId": "appeals_confirm", "summary": "Ответ заявителя: проблема решена или нет",
                 "parameters": [path_id("appeal_id")],
                 "requestBody": body(openapi_schema(APPEAL_CONFIRMATION)),
                 "responses": {"200": json_response(ref("Appeal")), **errors(401, 403, 404, 409, 422)}},
    },
    "/api/v1/categories": {
        "get": {"operationId": "categories_list", "summary": "Каталог категорий", "security": [],
                "responses": {"200": json_response({"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "items": {"type": "object", "required": ["code", "name"],
                                                         "properties": {"code": STR, "name": STR, "resource": NSTR,
                                                                        "emergencies": {"type": "array",
                                                                                        "items": STR}}}}}})}},
    },
}
