"""JSON Schema errors in the words a person reads beside a form field (Russian)."""
from __future__ import annotations

from typing import Any

from jsonschema.exceptions import ValidationError

TYPE_NAMES = {"string": "текст", "integer": "целое число", "number": "число", "boolean": "да или нет",
              "object": "объект", "array": "список"}


def _choices(error: ValidationError) -> str:
    schema: Any = error.schema if isinstance(error.schema, dict) else {}
    labels = schema.get("enumNames") or schema.get("x-enumNames") or schema.get("enum") or []
    return ", ".join(f"«{label}»" for label in labels)


def message(error: ValidationError) -> str:
    """One error's text; anything unforeseen becomes a plain «недопустимое значение»."""
    kind, limit = error.validator, error.validator_value
    texts = {
        "required": "обязательное поле",
        "enum": f"выберите одно из: {_choices(error)}" if _choices(error) else "выберите значение из списка",
        "const": "недопустимое значение",
        "type": f"нужно: {TYPE_NAMES.get(str(limit), 'другое значение')}",
        "maxLength": f"не длиннее {limit} символов",
        "minLength": "обязательное поле" if limit == 1 else f"не короче {limit} символов",
        "minimum": f"не меньше {limit}", "maximum": f"не больше {limit}",
        "pattern": "неверный формат", "format": "неверный формат",
        "additionalProperties": "лишнее поле",
    }
    return texts.get(str(kind), "недопустимое значение")


def fields_of(error: ValidationError) -> list[str]:
    """The form fields an error is about (every missing one for `required`)."""
    field = ".".join(str(p) for p in error.path)
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [str(name) for name in error.validator_value if name not in instance]
        prefix = f"{field}." if field else ""
        return [prefix + name for name in missing] or [field or "data"]
    return [field or "data"]
