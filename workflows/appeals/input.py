"""What appeal intake accepts (`POST /api/v1/appeals` and every inner caller of `register_appeal`).

`intake` checks payloads with `APPEAL_INPUT` (workflows.validation) and web/openapi publishes the same dict as the
request body. What a schema cannot say stays in intake after this check: a building that exists, an address the
registry resolves, address or building_id present, a letter's arrival time with an offset and not in the future.
"""
from __future__ import annotations

from typing import Any

from workflows.appeals.catalog import CODES
from workflows.appeals.models import CHANNELS

MAX_TEXT = 5000
ANSWERS = ("fixed", "not_fixed")  # the resident's confirmation
NOT_STRING = "должно быть строкой"


def _text(limit: int, nullable: bool = True, integer: bool = False) -> dict[str, Any]:
    """A free-text field: `limit` characters; "" and null mean «not given» unless the field is required."""
    types = ["string", *(["integer"] if integer else []), *(["null"] if nullable else [])]
    return {"type": types, "maxLength": limit,
            "x-message": {"type": NOT_STRING, "maxLength": f"не длиннее {limit} символов"}}


APPEAL_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["text", "channel"],
    "properties": {
        "text": {**_text(MAX_TEXT, nullable=False), "minLength": 1,
                 "x-message": {"required": "обязательное поле", "minLength": "обязательное поле",
                               "type": NOT_STRING, "maxLength": f"не длиннее {MAX_TEXT} символов"}},
        "channel": {"enum": list(CHANNELS), "x-message": f"одно из: {', '.join(CHANNELS)}"},
        "address": {**_text(300), "description": "адрес дома свободным текстом (или building_id)"},
        "building_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1,
                        "x-message": "должно быть целым числом"},
        "category": {"enum": [*CODES, "", None], "x-message": f"неизвестная категория; одна из: {', '.join(CODES)}"},
        "emergency": {"type": ["boolean", "null"], "x-message": "true или false"},
        "applicant": {"type": ["object", "null"], "x-message": {"type": "должно быть объектом"},
                      "properties": {key: _text(200, integer=True) for key in ("name", "phone", "channel", "chat_id")}},
        "external_id": _text(200, integer=True),
        "flat": _text(20),
        "source_url": _text(500),
        "received_at": {"type": ["string", "null"], "format": "date-time",
                        "description": "письмо (59-ФЗ): когда поступило",
                        "x-message": "время поступления в ISO 8601 со смещением, например 2026-12-23T10:00:00+03:00"},
        "unlisted_address": {"type": ["boolean", "null"], "x-message": "true или false",
                             "description": "дома нет в реестре: обращение регистрируется по адресу"},
    },
}

# `POST /api/v1/appeals/{id}/extension` (letters.extend_answer): the shape only. How many days a letter's answer may
# be extended by is letter_deadlines.dmn's `extension_within`, a deployable table: extend_answer checks it after
# this schema and words every `days` error with the table's limit.
EXTENSION_MAX_DAYS = 365
APPEAL_EXTENSION: dict[str, Any] = {
    "type": "object",
    "required": ["days", "reason"],
    "properties": {
        "days": {"type": "integer", "minimum": 1, "maximum": EXTENSION_MAX_DAYS,
                 "description": "не больше, чем разрешает letter_deadlines.dmn (extension_within, сейчас 30)"},
        "reason": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": "\\S",
                   "x-message": "обязательное поле: причина продления (до 2000 символов)"},
    },
}

# `POST /api/v1/appeals/{id}/confirmation`: the resident's answer (answers.confirm_resolution, also the bots').
APPEAL_CONFIRMATION: dict[str, Any] = {
    "type": "object",
    "required": ["answer"],
    "properties": {"answer": {"enum": list(ANSWERS), "x-message": "fixed или not_fixed"}},
}
