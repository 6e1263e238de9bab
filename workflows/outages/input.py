"""What the outage calls accept: registration (`POST /api/v1/outages`, the preview, the desk form, a confirmed
suspicion), a new end or description (`PATCH /api/v1/outages/{id}`) and a restoration (`POST .../restore`).

The services check payloads with these schemas (workflows.validation) and web/openapi publishes the same dicts
as the request bodies. What a schema cannot say stays in the services after this check: a time with an offset
within the allowed years, the end after the start, an organisation that exists and may be named, its resources,
the buildings the scope names.
"""
from __future__ import annotations

from typing import Any

from workflows.outages.models import KINDS
from workflows.resources import RESOURCES

ISO = "время в ISO 8601 со смещением"
MAX_ID = 2**31 - 1


def _time(required: bool) -> dict[str, Any]:
    if required:
        return {"type": "string", "minLength": 1, "format": "date-time",
                "x-message": {"required": "обязательное поле", "minLength": "обязательное поле", "type": ISO}}
    return {"type": ["string", "null"], "format": "date-time", "x-message": ISO}


def _text(limit: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "maxLength": limit, "x-message": f"строка не длиннее {limit} символов"}


def _temperature(message: str = "число от -60 до 50") -> dict[str, Any]:
    return {"type": ["number", "null"], "minimum": -60, "maximum": 50, "x-message": message}


OUTAGE_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "resource", "starts_at", "ends_at"],
    "properties": {
        "kind": {"enum": list(KINDS), "x-message": f"одно из: {', '.join(KINDS)}"},
        "resource": {"enum": list(RESOURCES), "x-message": f"одно из: {', '.join(RESOURCES)}"},
        "organization_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID,
                            "description": "по умолчанию — организация сотрудника",
                            "x-message": "обязательное поле: id организации"},
        "starts_at": _time(required=True),
        "ends_at": _time(required=True),
        "description": _text(4000),
        "contact_phone": _text(40),
        "indoor_temperature": _temperature(),
        "outdoor_temperature": _temperature(),
        "network_accident": {"type": ["boolean", "null"], "x-message": "true или false"},
        "building_ids": {"type": ["array", "null"], "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                         "x-message": "список целых чисел"},
        "addresses": {"type": ["string", "array", "null"], "maxLength": 500,
                      "items": {"type": "string", "minLength": 1, "maxLength": 500},
                      "x-message": "строка или список строк (до 500 символов)"},
        "district": {"type": ["string", "null"], "x-message": "название района (вместе с organization_id и resource)"},
        "external_id": {"type": ["string", "integer", "null"], "maxLength": 200, "x-message": "строка до 200 символов"},
    },
}

OUTAGE_UPDATE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ends_at": _time(required=False),
        "description": _text(4000),
        "indoor_temperature": _temperature(),
    },
}

OUTAGE_RESTORE: dict[str, Any] = {
    "type": "object",
    "properties": {"restored_at": _time(required=False)},
}

# `POST /api/v1/outages/preview` (and the desk form's preview): the registration body, of which only the scope must
# be right yet; `organization_id` and `resource` (checked on registration) choose a district's buildings.
SCOPE = ("building_ids", "addresses", "district")
OUTAGE_PREVIEW: dict[str, Any] = {
    "type": "object",
    "description": "тело регистрации отключения; здесь проверяется только, какие дома затронуты",
    "properties": {key: OUTAGE_INPUT["properties"][key] for key in SCOPE},
}
