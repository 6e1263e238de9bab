"""One input-validation layer: a JSON Schema per input checks the payload and is also the OpenAPI request body.

A service declares the schema of what it accepts (`SCHEMA = {...}`), calls `checked(SCHEMA, payload, what)`
and gets Russian messages by field (`workflows.runtime.form_messages`, the words the forms use) or a
property's own `x-message` (one text, or texts by failed keyword: `{"type": ..., "maxLength": ...}`, where a
null that breaks `type` counts as missing, `required`); `web/openapi` puts the same dict in the document with
`openapi_schema`, so what the API accepts and what it documents cannot drift. Checks a schema cannot express
(an address that fits its channel) follow in the service and add to the same `errors` dict.
"""
from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from workflows.errors import ValidationFailed
from workflows.runtime.form_messages import fields_of, message

Schema = dict[str, Any]
PRIVATE = ("x-message",)


def errors_of(schema: Schema, payload: Any) -> dict[str, str]:
    """Field → Russian message for every way `payload` breaks `schema` (the first message per field)."""
    errors: dict[str, str] = {}
    for error in sorted(Draft202012Validator(schema).iter_errors(payload), key=lambda e: list(map(str, e.path))):
        missing = error.validator == "required" or (error.validator == "type" and error.instance is None)
        kind = "required" if missing else str(error.validator)
        path = _field_path(error.path)
        fields = fields_of(error) if error.validator == "required" else [".".join(path) or "data"]
        own = _own_message(schema, path, kind) if error.validator != "required" else None
        for field in fields:
            errors.setdefault(field, own or _own_message(schema, field.split("."), kind) or message(error))
    return errors


def checked(schema: Schema, payload: Any, what: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """`payload` when it fits `schema`; else ValidationFailed(`what`, errors by field, with `extra` ones)."""
    errors = {**errors_of(schema, payload), **(extra or {})}
    if errors:
        raise ValidationFailed(what, errors)
    return dict(payload)


def _field_path(path: Any) -> list[str]:
    """The field an error is about: an item's error (`building_ids.3`) is its list's (`building_ids`)."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            break
        parts.append(str(part))
    return parts


def _own_message(schema: Schema, path: Any, kind: str) -> str | None:
    node: Any = schema
    for part in path:
        node = (node.get("properties") or {}).get(str(part)) if isinstance(node, dict) else None
        if node is None:
            return None
    own = node.get("x-message") if isinstance(node, dict) else None
    return own.get(kind) if isinstance(own, dict) else own


def openapi_schema(schema: Schema) -> Schema:
    """The schema as the OpenAPI document shows it (without the `x-` keys meant for people's messages)."""
    if isinstance(schema, dict):
        return {k: openapi_schema(v) for k, v in schema.items() if k not in PRIVATE}
    if isinstance(schema, list):
        return [openapi_schema(v) for v in schema]  # type: ignore[return-value]
    return schema
