"""User task metadata: properties, lanes and the JSON Schema form of an element."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from engine.model import UserTaskInfo

FORM_PROPERTY = "formJsonSchema"


@lru_cache(maxsize=1024)
def _form(text: str) -> str:
    # Cached by text and returned as canonical JSON so every caller gets a fresh dict.
    try:
        value = json.loads(text)
    except ValueError:
        return "{}"
    return json.dumps(value) if isinstance(value, dict) else "{}"


def form_schema(properties: dict[str, str]) -> dict[str, Any]:
    text = properties.get(FORM_PROPERTY)
    if not text:
        return {}
    result: dict[str, Any] = json.loads(_form(text))
    return result


def task_properties(task_spec: Any) -> dict[str, str]:
    extensions = getattr(task_spec, "extensions", None) or {}
    return dict(extensions.get("properties") or {})


def user_task_info(task: Any) -> UserTaskInfo:
    spec = task.task_spec
    properties = task_properties(spec)
    return UserTaskInfo(
        task_id=str(task.id),
        name=str(spec.bpmn_id or spec.name),
        title=str(spec.bpmn_name or spec.bpmn_id or spec.name),
        lane=spec.lane,
        form=form_schema(properties),
        properties=properties,
        documentation=spec.documentation,
    )
