"""Screens: the inbox, a task with its form, an instance with its history."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from web.auth import login_may, login_roles
from web.redirects import redirect_next
from web.schema_forms import fields_of, read_submission
from web.views.board import landing_for  # the board decides who lands on it
from workflows import citytime, clock
from workflows.appeals import work
from workflows.appeals.inbox import INBOX_LIMIT, inbox_rows
from workflows.appeals.incident_view import incident_of_instance, incident_view
from workflows.appeals.photos import Photo, check_photo, photo_file
from workflows.appeals.task_sheet import task_sheet
from workflows.db import db
from workflows.errors import Conflict, Forbidden, NotFound, ProcessFailed, ValidationFailed
from workflows.ids import as_id
from workflows.registry.service import list_organizations
from workflows.runtime import instances, tasks
from workflows.runtime.models import HumanTask, ProcessInstance

bp = Blueprint("ui", __name__)


@bp.route("/")
def index() -> Any:
    return redirect(landing_for(current_user.role if current_user.is_authenticated else None))


def _inbox_filters() -> dict[str, Any]:
    args = request.args
    return {"name": args.get("name", "")[:200] or None, "category": args.get("category", "")[:40] or None,
            "overdue": args.get("overdue") in ("1", "on"), "mine": args.get("mine") in ("1", "on")}


@bp.route("/inbox")
@login_roles()
def inbox() -> Any:
    filters = _inbox_filters()
    rows = inbox_rows(g.user, filters)
    query: dict[str, Any] = request.args.to_dict()
    return render_template("inbox.html", rows=rows, filters=filters, now=clock.now(), limit=INBOX_LIMIT,
                           live_url=url_for("ui.inbox_live", **query))


@bp.route("/inbox/live")
@login_roles()
def inbox_live() -> Any:
    """The inbox rows as an HTML fragment for the page's 15-second refresh, with counts."""
    now = clock.now()
    rows = inbox_rows(g.user, _inbox_filters())
    html = render_template("_inbox_rows.html", rows=rows, now=now)
    return jsonify({"html": html, "count": len(rows),
                    "overdue": sum(1 for r in rows if r.task.due_at is not None and r.task.due_at < now),
                    "refreshed_at": now.isoformat()})


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_roles()
def task_show(task_id: int) -> Any:
    sheet = task_sheet(task_id, g.user)
    task = sheet.task
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = read_submission(task.form, request.form)
        try:
            photos = _checked_uploads(task, values)
            tasks.complete_task(task_id, g.user, values)
            for photo in photos:  # written only once the form has been accepted
                photo.save()
        except ValidationFailed as err:
            errors = err.details if isinstance(err.details, dict) else {"data": err.message}
        except Conflict as err:
            flash(err.message, "error")
            return redirect(url_for("ui.inbox"))
        except ProcessFailed as err:  # e.g. a retry of a failed step that failed again
            flash(err.message, "error")
            return redirect(url_for("ui.task_show", task_id=task_id))
        else:
            flash(f"Задача «{task.title}» выполнена", "ok")
            return redirect(url_for("ui.inbox"))
    fields = fields_of(task.form)
    organizations = list_organizations() if any(f.widget == "organization" for f in fields) else []
    return render_template("task.html", sheet=sheet, fields=fields, errors=errors, values=values, now=clock.now(),
                           organizations=organizations, incident=_network_incident(task)), \
        422 if errors else 200


def _network_incident(task: Any) -> Any:
    """For a `suspected_outage` task: the incident's buildings and appeals, to decide on."""
    if task.process_id != "network_fault":
        return None
    instance = db.session.get(ProcessInstance, task.instance_id)
    incident_id = incident_of_instance(instance.business_key if instance else None)
    return incident_view(incident_id) if incident_id is not None else None


def _checked_uploads(task: HumanTask, values: dict[str, Any]) -> list[Photo]:
    photos = []
    for item in fields_of(task.form):
        upload = request.files.get(item.name) if item.widget == "file" else None
        if upload is not None and upload.filename:
            photo = check_photo(upload.stream, item.name, task.appeal_id)
            values[item.name] = photo.url
            photos.append(photo)
    return photos


@bp.route("/uploads/<name>")
@login_roles()
def upload_show(name: str) -> Any:
    """Only for those who may read the appeal; never kept by shared caches."""
    response = send_file(photo_file(name, g.user), max_age=3600)
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@login_roles()
def task_claim(task_id: int) -> Any:
    try:
        work.claim(task_id, g.user)
        flash("Задача взята в работу", "ok")
    except (Conflict, Forbidden) as err:
        flash(err.message, "error")
    return redirect_next(request.form.get("next"), url_for("ui.task_show", task_id=task_id))


@bp.route("/tasks/<int:task_id>/assign", methods=["POST"])
@login_may("tasks.assign")
def task_assign(task_id: int) -> Any:
    raw = request.form.get("assignee_id", "")
    try:
        task = work.assign(task_id, g.user, as_id(raw))
        flash("Задача освобождена" if task.assignee_id is None else "Исполнитель назначен", "ok")
    except (Conflict, Forbidden, ValidationFailed) as err:
        flash(err.message, "error")
    return redirect(url_for("ui.task_show", task_id=task_id))


@bp.route("/instances/<int:instance_id>")
@login_may("instances.view")
def instance_show(instance_id: int) -> Any:
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(f"no process instance {instance_id}")
    open_tasks = db.session.query(HumanTask).filter_by(instance_id=instance_id).order_by(HumanTask.id).all()
    return render_template("instance.html", instance=instance, events=instances.history(instance_id),
                           tasks=open_tasks)


@bp.route("/instances/<int:instance_id>/retry", methods=["POST"])
@login_may("instances.retry")
def instance_retry(instance_id: int) -> Any:
    try:
        instances.retry_instance(instance_id, g.user.id)
        flash("Процесс перезапущен", "ok")
    except Conflict as err:
        flash(err.message, "error")
    return redirect(url_for("ui.instance_show", instance_id=instance_id))


def localtime(moment: datetime | None) -> str:
    """City-local time for people: 28.11.2026 14:05."""
    return citytime.moment_text(moment)


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime, "localtime")
    app.register_blueprint(bp)
