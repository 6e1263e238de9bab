"""The appeal card and the registry of appeals with its Excel export."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from web.appeal_export import workbook_bytes
from web.auth import login_may, login_roles
from web.labels import STATUS_LABELS
from workflows import citytime, clock
from workflows.appeals import queries
from workflows.appeals.attach import attach_building
from workflows.appeals.catalog import CODES
from workflows.appeals.dispatch_log import log_rows, step_rows
from workflows.appeals.models import CHANNELS
from workflows.errors import Conflict, ValidationFailed
from workflows.ids import as_id, digits
from workflows.registry.service import list_organizations
from workflows.runtime import tasks

bp = Blueprint("appeals", __name__, url_prefix="/appeals")
PER_PAGE = 50
FILTER_NAMES = ("status", "category", "organization_id", "address", "overdue", "date_from", "date_to", "channel",
                "working", "emergency", "incident_id")


def _day_start(raw: str, field: str, errors: dict[str, str]) -> datetime | None:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[field] = "дата в виде ГГГГ-ММ-ДД"
        return None
    if not 2000 <= day.year < 2100:
        errors[field] = "год от 2000 до 2099"
        return None
    return datetime.combine(day, time(), citytime.zone())


def _choice(args: MultiDict[str, str], name: str, allowed: Any, errors: dict[str, str]) -> str | None:
    value = args.get(name, "")
    if value and value not in allowed:
        errors[name] = "неизвестное значение"
        return None
    return value or None


def registry_filters(args: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Filters from the query string; a bad value is reported beside its field and ignored."""
    errors: dict[str, str] = {}
    filters: dict[str, Any] = {"status": _choice(args, "status", STATUS_LABELS, errors),
                               "category": _choice(args, "category", CODES, errors),
                               "channel": _choice(args, "channel", CHANNELS, errors),
                               "overdue": args.get("overdue") in ("1", "on", "true"),
                               "working": args.get("working") in ("1", "on", "true"),
                               "emergency": args.get("emergency") in ("1", "on", "true"),
                               "address": args.get("address", "").strip()[:200] or None}
    org = args.get("organization_id", "")
    if org:
        filters["organization_id"] = as_id(org)
        if filters["organization_id"] is None:
            errors["organization_id"] = "неизвестная организация"
    incident = args.get("incident_id", "")
    if incident:
        filters["incident_id"] = int(incident) if incident.isdigit() and len(incident) < 10 else None
        if filters["incident_id"] is None:
            errors["incident_id"] = "неизвестный инцидент"
    if args.get("date_from"):
        filters["created_from"] = _day_start(args["date_from"], "date_from", errors)
    if args.get("date_to"):
        end = _day_start(args["date_to"], "date_to", errors)
        filters["created_before"] = end + timedelta(days=1) if end else None
    return filters, errors


def _page(args: MultiDict[str, str]) -> int:
    raw = args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if digits(raw) and len(raw) < 7 else 1


@bp.get("")
@login_roles()
def appeals_list() -> Any:
    filters, errors = registry_filters(request.args)
    page = _page(request.args)
    items, total = queries.list_appeals(g.user, filters, page, PER_PAGE)
    query: dict[str, Any] = {name: request.args[name] for name in FILTER_NAMES if request.args.get(name)}
    return render_template(
        "appeals.html", items=items, total=total, page=page, pages=max(1, -(-total // PER_PAGE)),
        errors=errors, args=request.args, query=query, now=clock.now(), CHANNELS=CHANNELS,
        organizations=list_organizations() if g.user.city_wide else [],
        personal={a.id for a in items if queries.may_see_personal(g.user, a)},
        export_url=url_for("appeals.appeals_export", **query))


@bp.get("/export.xlsx")
@login_roles()
def appeals_export() -> Any:
    filters, _ = registry_filters(request.args)
    content = workbook_bytes(log_rows(g.user, filters), citytime.zone(), step_rows(g.user, filters))
    stamp = citytime.local(clock.now()).strftime("%Y%m%d-%H%M")
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="otklik-appeals-{stamp}.xlsx"'})


@bp.post("/<int:appeal_id>/building")
@login_may("appeals.attach_building")
def appeal_attach_building(appeal_id: int) -> Any:
    try:
        attach_building(appeal_id, request.form.get("address", ""), g.user)
        flash("Дом привязан к обращению", "ok")
    except (ValidationFailed, Conflict) as err:
        flash(err.message, "error")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("appeals.appeal_show", appeal_id=appeal_id))


@bp.get("/<int:appeal_id>")
@login_roles()
def appeal_show(appeal_id: int) -> Any:
    appeal = queries.get_appeal(appeal_id, g.user)
    events = queries.history(appeal.id)
    siblings = ([a for a in queries.incident_appeals(g.user, appeal.incident_id) if a.id != appeal.id]
                if appeal.incident_id else [])
    return render_template(
        "appeal_card.html", appeal=appeal, events=events, siblings=siblings, now=clock.now(),
        open_tasks=tasks.list_tasks(g.user, {"appeal_id": appeal.id}),
        personal=queries.may_see_personal(g.user, appeal))
