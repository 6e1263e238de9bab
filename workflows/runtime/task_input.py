"""What the task calls accept: handing a task to a colleague (`POST /api/v1/tasks/{id}/assign`) and completing it
(`POST /api/v1/tasks/{id}/complete`).

web/api/tasks.py checks bodies with these schemas (workflows.validation) and web/openapi publishes the same dicts.
What they cannot say stays in the services: an assignee who exists and may act on the task; `data` that fits the
task's own form (a JSON Schema per task, checked by tasks.complete_task).
"""
from __future__ import annotations

from typing import Any

TASK_ASSIGNMENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "assignee_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1,
                        "description": "сотрудник; null освобождает задачу", "x-message": "целое число или null"},
    },
}

TASK_COMPLETION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "data": {"type": "object", "description": "поля формы задачи (её JSON Schema — `form` задачи)",
                 "x-message": "объект с полями формы задачи"},
    },
}
