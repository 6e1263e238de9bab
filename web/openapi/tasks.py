"""User tasks."""
from __future__ import annotations

from typing import Any

from web.openapi.common import OPTIONAL_ID, STR, body, errors, json_response, path_id, query, ref
from workflows.runtime.task_input import TASK_ASSIGNMENT, TASK_COMPLETION
from workflows.validation import openapi_schema

TASK_LIST = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array",
                                                                              "items": ref("Task")}}}

PATHS: dict[str, Any] = {
    "/api/v1/tasks": {
        "get": {"operationId": "tasks_list", "summary": "Открытые задачи, доступные вызывающему",
                "parameters": [query("appeal_id", OPTIONAL_ID), query("outage_id", OPTIONAL_ID), query("name", STR),
                               query("process_id", STR), query("limit", {"type": "integer", "minimum": 1,
                                                                         "maximum": 1000})],
                "responses": {"200": json_response(TASK_LIST), **errors(401, 422)}},
    },
    "/api/v1/tasks/{task_id}": {
        "get": {"operationId": "tasks_show", "parameters": [path_id("task_id")],
                "responses": {"200": json_response(ref("TaskSheet")), **errors(401, 404)}},
    },
    "/api/v1/tasks/{task_id}/assign": {
        "post": {"operationId": "tasks_assign", "summary": "Руководитель передаёт задачу сотруднику или освобождает её",
                 "parameters": [path_id("task_id")],
                 "requestBody": body(openapi_schema(TASK_ASSIGNMENT)),
                 "responses": {"200": json_response(ref("Task")), **errors(401, 403, 404, 409, 422)}},
    },
    "/api/v1/tasks/{task_id}/claim": {
        "post": {"operationId": "tasks_claim", "parameters": [path_id("task_id")],
                 "responses": {"200": json_response(ref("Task")), **errors(401, 403, 404, 409)}},
    },
    "/api/v1/tasks/{task_id}/complete": {
        "post": {"operationId": "tasks_complete", "parameters": [path_id("task_id")],
                 "requestBody": body(openapi_schema(TASK_COMPLETION)),
                 "responses": {"200": json_response(ref("Task")), **errors(401, 403, 404, 409, 422)}},
    },
}
