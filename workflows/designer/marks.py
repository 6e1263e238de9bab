"""Which BPMN elements of a run are completed, current and waiting (for markers on the diagram)."""
from __future__ import annotations

from typing import Any

STATE_MARKS = {"COMPLETED": "completed", "READY": "current", "STARTED": "current", "WAITING": "waiting",
               "ERROR": "error"}
PRIORITY = ("current", "error", "waiting", "completed")


def element_marks(described: list[dict[str, Any]]) -> dict[str, str]:
    """Element id -> the strongest mark among its tasks (a loop may have passed an element many times)."""
    marks: dict[str, str] = {}
    for task in described:
        mark = STATE_MARKS.get(str(task["state"]))
        element = task.get("element_id")
        if mark is None or not element:
            continue
        known = marks.get(element)
        if known is None or PRIORITY.index(mark) < PRIORITY.index(known):
            marks[element] = mark
    return marks
