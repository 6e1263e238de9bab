"""User tasks: list, claim, complete."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_auth, api_may
from workflows.appeals import work
from workflows.appeals.task_sheet import sheet_to_dict, task_sheet
from workflows.errors import ValidationFailed
from workflows.runtime import tasks


@bp.get("/tasks")
@api_auth()
def tasks_list() -> Any:
    from flask import request

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
    raw = json_body().get("assignee_id")
    if raw is not None and (not isinstance(raw, int) or isinstance(raw, bool)):
        raise ValidationFailed("assignee_id: номер сотрудника или null", {"assignee_id": "целое число или null"})
    return jsonify(work.assign(task_id, g.user, raw).to_dict())


@bp.post("/tasks/<int:task_id>/complete")
@api_auth()
def tasks_complete(task_id: int) -> Any:
    body = json_body()
    data = body.get("data", {})
    return jsonify(work.complete(task_id, g.user, data).to_dict())
