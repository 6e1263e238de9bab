"""Render a user task's JSON Schema as HTML form fields and read the submitted values back."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from workflows import citytime


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # select | textarea | text | number | checkbox | file | organization
    required: bool
    description: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    json_type: str = "string"


def _options(spec: dict[str, Any]) -> list[tuple[str, str]]:
    if "enum" in spec:
        labels = spec.get("enumNames") or spec.get("x-enumNames") or spec["enum"]
        return [(str(v), str(lbl)) for v, lbl in zip(spec["enum"], labels, strict=False)]
    choices = spec.get("oneOf") or spec.get("anyOf") or []
    return [(str(c["const"]), str(c.get("title", c["const"]))) for c in choices if "const" in c]


def _widget(name: str, spec: dict[str, Any], options: list[tuple[str, str]]) -> str:
    kind = spec.get("type", "string")
    if spec.get("format") == "organization" or (name == "organization_id" and kind == "integer"):
        return "organization"  # chosen from the list of organisations, never typed as a number
    if options:
        return "select"
    if str(spec.get("contentMediaType", "")).startswith("image/"):
        return "file"
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return "number"
    if spec.get("format") == "date-time":
        return "datetime"
    long_text = spec.get("maxLength", 0) > 200 or "maxLength" not in spec
    if spec.get("format") == "textarea" or kind == "string" and long_text:
        return "textarea"
    return "text"


def fields_of(schema: dict[str, Any]) -> list[FormField]:
    required = set(schema.get("required", []))
    result = []
    for name, spec in (schema.get("properties") or {}).items():
        if not isinstance(spec, dict):
            continue
        options = _options(spec)
        result.append(FormField(name=name, label=str(spec.get("title", name)), widget=_widget(name, spec, options),
                                required=name in required, description=str(spec.get("description", "")),
                                options=options, json_type=str(spec.get("type", "string"))))
    return result


def _coerce(value: str, json_type: str) -> Any:
    if json_type == "integer":
        try:
            return int(value)
        except ValueError:
            return value  # left as text so the schema reports the field
    if json_type == "number":
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    return value


def read_submission(schema: dict[str, Any], form: MultiDict[str, str]) -> dict[str, Any]:
    """Submitted form values typed as the schema says; empty optional fields are left out."""
    data: dict[str, Any] = {}
    for item in fields_of(schema):
        if item.widget == "checkbox":
            data[item.name] = item.name in form
            continue
        if item.widget == "file":
            continue  # uploads are stored by the view, which puts their URL into the data
        raw = form.get(item.name, "").strip()
        if raw == "":
            continue
        data[item.name] = _local_to_iso(raw) if item.widget == "datetime" else _coerce(raw, item.json_type)
    return data


def _local_to_iso(value: str) -> str:
    """A `datetime-local` value in the city's time → ISO 8601 with offset (left as typed if unreadable)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = citytime.attach(moment)
    return moment.isoformat()
