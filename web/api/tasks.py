"""User tasks: list, claim, complete."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_auth, api_may
from workflows.appeals import work
from workflows.appeals.task_sheet import sheet_to_dict, task_sheet
from workflows.runtime import tasks
from workflows.runtime.task_input import TASK_ASSIGNMENT, TASK_COMPLETION
from workflows.validation import checked


@bp.get("/tasks")
@api_auth()
def tasks_list() -> Any:
    filters = {"appeal_id": int_arg("appeal_id"), "outage_id": int_arg("outage_id"),
               "name": request.args.get("name"), "process_id": request.args.get("process_id")}
    items = tasks.list_tasks(g.user, filters, limit=int_arg("limit", 200, maximum=1000) or 200)
    return jsonify({"items": [t.to_dict() for t in items]})


@bp.get("/tasks/<int:task_id>")
@api_auth()
def tasks_show(task_id: int) -> Any:
    return jsonify(sheet_to_dict(task_sheet(task_id, g.user)))


@bp.post("/tasks/<int:task_id>/claim")
@api_auth()
def tasks_claim(task_id: int) -> Any:
    return jsonify(work.claim(task_id, g.user).to_dict())


@bp.post("/tasks/<int:task_id>/assign")
@api_may("tasks.assign")
def tasks_assign(task_id: int) -> Any:
    """A head gives the task to a colleague (`assignee_id`), or frees it (`assignee_id: null`)."""
    raw = checked(TASK_ASSIGNMENT, json_body(), "assignee_id: номер сотрудника или null").get("assignee_id")
    return jsonify(work.assign(task_id, g.user, None if raw is None else int(raw)).to_dict())


@bp.post("/tasks/<int:task_id>/complete")
@api_auth()
def tasks_complete(task_id: int) -> Any:
    data = checked(TASK_COMPLETION, json_body(), "в форме есть ошибки").get("data", {})
    return jsonify(tasks.complete_task(task_id, g.user, data).to_dict())
