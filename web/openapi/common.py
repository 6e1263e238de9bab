"""Shared pieces of the OpenAPI document: components, and helpers that keep the per-module dicts short."""
from __future__ import annotations

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NSTR = {"type": ["string", "null"]}
NINT = {"type": ["integer", "null"]}
TIME = {"type": ["string", "null"], "format": "date-time"}
OBJ = {"type": "object"}
ANY_OBJ = {"type": "object", "additionalProperties": True}
REF_ORG = {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/OrganizationRef"}]}

ERROR_TEXT = {400: "неверный запрос", 401: "нужен действующий токен", 403: "недостаточно прав",
              404: "не найдено", 405: "метод не поддерживается", 409: "конфликт состояния",
              413: "запрос слишком большой", 415: "неподдерживаемый тип тела", 422: "ошибки в данных",
              429: "слишком много запросов (Retry-After)"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str = "успешно") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*codes: int) -> dict[str, Any]:
    """Our error answers ({error, message, details}) for the given statuses."""
    return {str(code): json_response(ref("Error"), ERROR_TEXT.get(code, "ошибка")) for code in codes}


def body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1,
                                                                     "maximum": 2147483647}}


def query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        param["description"] = description
    return param


PAGE = query("page", {"type": "integer", "minimum": 1, "maximum": 1000000})
PER_PAGE = query("per_page", {"type": "integer", "minimum": 1, "maximum": 500})
OPTIONAL_ID = {"type": "integer", "minimum": 1, "maximum": 1000000000}

COMPONENTS: dict[str, Any] = {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
        "Error": {"type": "object", "required": ["error", "message"],
                  "properties": {"error": STR, "message": STR, "details": {}}},
        "OrganizationRef": {"type": "object", "required": ["id", "name"], "properties": {"id": INT, "name": STR}},
        "Appeal": {
            "type": "object", "required": ["id", "number", "status", "category", "emergency", "channel"],
            "properties": {
                "id": INT, "number": STR, "status": STR, "channel": STR, "external_id": NSTR, "text": STR,
                "category": STR, "emergency": BOOL, "building_id": NINT, "address": NSTR, "organization": REF_ORG,
                "due_at": TIME, "accept_due_at": TIME, "resolve_due_at": TIME, "incident_id": NINT,
                "escalation_level": INT, "created_at": TIME, "accepted_at": TIME, "resolved_at": TIME,
                "closed_at": TIME, "result": NSTR, "instance_id": NINT, "source_url": NSTR, "flat": NSTR,
                "applicant": {"type": "object", "properties": {"name": NSTR, "phone": NSTR, "channel": NSTR,
                                                               "chat_id": NSTR}},
                "history": {"type": "array", "items": {"type": "object", "required": ["at", "kind"], "properties": {
                    "at": {"type": "string", "format": "date-time"}, "kind": STR, "actor_id": NINT, "text": NSTR,
                    "data": {"type": ["object", "null"]}, "actor": ref("Actor")}}},
                "outage": {"type": ["object", "null"], "properties": {"id": INT, "resource": STR, "ends_at": TIME,
                                                                       "description": STR}},
            }},
        "Actor": {"type": ["object", "null"], "description": "who took a step; null for the system's own steps",
                  "properties": {"id": INT, "login": STR, "name": STR, "role": STR,
                                 "organization": REF_ORG}},
        "Task": {"type": "object", "required": ["id", "name", "process_id", "form"], "properties": {
            "id": INT, "name": STR, "title": NSTR, "appeal_id": NINT, "outage_id": NINT, "process_id": STR,
            "instance_id": INT, "lane": NSTR, "roles": {"type": "array", "items": STR}, "organization_id": NINT,
            "assignee": NINT, "status": STR, "due_at": TIME, "form": OBJ, "created_at": TIME, "urgent": BOOL}},
        "TaskSheet": {"allOf": [ref("Task"), {"type": "object", "properties": {
            "held_by": ref("Actor"), "claimed_at": TIME,
            "organization": {"type": ["object", "null"], "properties": {"id": INT, "name": STR, "kind": STR,
                                                                         "phone": NSTR}},
            "appeal": {"anyOf": [{"type": "null"}, ref("Appeal")]}}}]},
        "Building": {"type": "object", "required": ["id", "address"], "properties": {
            "id": INT, "address": STR, "district": STR, "management_organization": REF_ORG,
            "suppliers": {"type": "object", "additionalProperties": ref("OrganizationRef")},
            "notifications_enabled": BOOL}},
        "WebhookSubscription": {"type": "object", "required": ["id", "organization_id", "url", "events", "active"],
                                "properties": {"id": INT, "organization_id": INT, "url": STR,
                                               "events": {"type": "array", "items": STR}, "external_id": NSTR,
                                               "active": BOOL, "disabled_reason": NSTR, "created_at": TIME,
                                               "secret": STR}},
    },
}
