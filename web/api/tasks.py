"""User tasks: list, claim, complete."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from web.api import bp
from web.api.params import int_arg, json_body
from web.auth import api_auth
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
    return jsonify(tasks.get_task(task_id, g.user).to_dict())


@bp.post("/tasks/<int:task_id>/claim")
@api_auth()
def tasks_claim(task_id: int) -> Any:
    return jsonify(tasks.claim_task(task_id, g.user).to_dict())


@bp.post("/tasks/<int:task_id>/complete")
@api_auth()
def tasks_complete(task_id: int) -> Any:
    body = json_body()
    data = body.get("data", {})
    return jsonify(tasks.complete_task(task_id, g.user, data).to_dict())
