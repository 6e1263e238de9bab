"""Staff screens for outages: register with a preview of the buildings, the outage card with delivery
progress, coverage and the interruption ledger with its Excel export."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, Response, flash, g, jsonify, redirect, render_template, request, url_for

from web.auth import login_may
from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES
from workflows.appeals.incident_view import incident_view
from workflows.db import db
from workflows.delivery import delivery_stats
from workflows.errors import ValidationFailed, WorkflowsError
from workflows.failures.subjects import open_manual_task
from workflows.ids import as_id
from workflows.outages import coverage, ledger, queries, service
from workflows.outages.access import get_outage
from workflows.outages.facts import record_indoor_temperature
from workflows.outages.intervals import zone
from workflows.outages.journal import outage_journal
from workflows.outages.ledger_export import to_xlsx
from workflows.outages.limits import distinct_rules, limit_words
from workflows.outages.models import KINDS
from workflows.outages.notices import group_key
from workflows.outages.public import find_building
from workflows.outages.texts import KIND_NAMES, RESOURCE_NAMES, STATUS_NAMES, local
from workflows.registry.models import Building
from workflows.registry.service import list_organizations
from workflows.resources import RESOURCES

bp = Blueprint("outages_ui", __name__, url_prefix="/staff")
VIOLATION_NAMES = {"single_limit": "Разовый предел", "monthly_limit": "Месячный предел",
                   "lead_time": "Срок предупреждения", "overlap": "Пересечение отключений"}
FIELD_NAMES = {"kind": "Вид", "resource": "Ресурс", "organization_id": "Организация", "starts_at": "Начало",
               "ends_at": "Окончание", "addresses": "Дома", "district": "Район", "building_ids": "Дома",
               "description": "Описание", "contact_phone": "Телефон", "indoor_temperature": "Температура в помещениях",
               "outdoor_temperature": "Наружная температура", "network_accident": "Авария на сетях",
               "external_id": "Внешний номер"}
NAMES = {"kinds": KIND_NAMES, "resources": RESOURCE_NAMES, "statuses": STATUS_NAMES}


def local_month() -> str:
    return clock.now().astimezone(zone()).strftime("%Y-%m")


def _iso_local(value: str) -> str | None:
    """A `datetime-local` field in the city's time → ISO 8601 with offset."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone()).isoformat() if value else None
    except ValueError:
        return value


def _payload(form: Any) -> dict[str, Any]:
    org = form.get("organization_id", "")
    return {"kind": form.get("kind"), "resource": form.get("resource"),
            "organization_id": as_id(org), "starts_at": _iso_local(form.get("starts_at", "")),
            "ends_at": _iso_local(form.get("ends_at", "")), "description": form.get("description", ""),
            "contact_phone": form.get("contact_phone") or None, "district": form.get("district") or None,
            "addresses": [line.strip() for line in form.get("addresses", "").splitlines() if line.strip()] or None,
            "network_accident": form.get("network_accident") == "1",
            "indoor_temperature": _optional_number(form.get("indoor_temperature", "")),
            "outdoor_temperature": _optional_number(form.get("outdoor_temperature", ""))}


def _optional_number(text: str) -> float | str | None:
    text = text.strip().replace(",", ".")
    return _number(text) if text else None


@bp.route("/outages/new", methods=["GET", "POST"])
@login_may("outages.register")
def outage_new() -> Any:
    errors: dict[str, Any] = {}
    affected: list[Any] = []
    if request.method == "POST":
        payload = _payload(request.form)
        try:
            if request.form.get("action") == "save":
                outage = service.register_outage(payload, g.user)
                flash(f"Отключение № {outage.id} зарегистрировано", "ok")
                return redirect(url_for("outages_ui.outage_show", outage_id=outage.id))
            affected = service.preview(payload, g.user)
        except ValidationFailed as err:
            errors = err.details if isinstance(err.details, dict) else {"": err.message}
    form = request.form if request.method == "POST" else _from_incident(request.args.get("incident", ""))
    orgs = [o for o in list_organizations() if o.kind in ("rso", "uk", "tsj", "gas_emergency")]
    if g.user.role not in CITY_WIDE_ROLES:
        orgs = [o for o in orgs if o.id == g.user.organization_id]
    return render_template("outages/new.html", form=form, errors=errors, affected=affected, orgs=orgs,
                           kinds=KINDS, resources=RESOURCES, names=NAMES, field_names=FIELD_NAMES), \
        422 if errors else 200


def _from_incident(raw_id: str) -> dict[str, str]:
    """The registration form pre-filled from a suspected network fault: its supplier, resource and buildings."""
    view = incident_view(int(raw_id)) if raw_id.isdigit() and len(raw_id) < 10 else None
    if view is None or view.incident.kind != "suspected":
        return {}
    incident = view.incident
    return {"kind": "emergency", "resource": incident.resource, "organization_id": str(incident.organization_id),
            "starts_at": incident.opened_at.astimezone(zone()).strftime("%Y-%m-%dT%H:%M"),
            "addresses": "\n".join(b.address for b in view.buildings), "from_incident": str(incident.id)}


@bp.get("/outages")
@login_may("outages.view")
def outage_list() -> Any:
    items, total = queries.list_outages(g.user, {"status": request.args.get("status") or None}, 1, 200)
    return render_template("outages/list.html", items=items, total=total, names=NAMES, local=local)


@bp.get("/outages/<int:outage_id>")
@login_may("outages.view")
def outage_show(outage_id: int) -> Any:
    outage = get_outage(outage_id, g.user)
    return render_template("outages/card.html", outage=outage, data=queries.outage_to_dict(outage), names=NAMES,
                           local=local, overdue=queries.is_overdue(outage), limit_words=limit_words,
                           rules=distinct_rules(queries.links_of(outage.id)), violation_names=VIOLATION_NAMES,
                           num=_num,
                           stalled=open_manual_task(outage_id=outage.id), journal=outage_journal(outage))


@bp.get("/outages/<int:outage_id>/deliveries.json")
@login_may("outages.view")
def outage_deliveries(outage_id: int) -> Any:
    return jsonify(dict(delivery_stats(group_key(get_outage(outage_id, g.user).id))))


@bp.post("/outages/<int:outage_id>/update")
@login_may("outages.register")
def outage_update(outage_id: int) -> Any:
    payload: dict[str, Any] = {"ends_at": _iso_local(request.form.get("ends_at", "")),
                               "description": request.form.get("description") or None}
    indoor = request.form.get("indoor_temperature", "").strip().replace(",", ".")
    try:
        if indoor:
            record_indoor_temperature(outage_id, _number(indoor), g.user)
            flash("Температура записана, пределы пересчитаны", "ok")
        if payload["ends_at"] or payload["description"] or not indoor:
            service.update_outage(outage_id, payload, g.user)
            flash("Срок изменён, представители получат обновление", "ok")
    except WorkflowsError as err:
        flash(f"{err.message}: {err.details}" if err.details else err.message, "error")
    return redirect(url_for("outages_ui.outage_show", outage_id=outage_id))


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the service answers with the field error


@bp.route("/outages/<int:outage_id>/restore", methods=["GET", "POST"])
@login_may("outages.register")
def outage_restore(outage_id: int) -> Any:
    """Restoration is announced to every building's representatives, so it takes a second, explicit step:
    the card's button opens this confirmation page and only its form (confirm=yes) restores."""
    if request.method == "GET" or request.form.get("confirm") != "yes":
        outage = get_outage(outage_id, g.user)
        return render_template("outages/restore_confirm.html", outage=outage, names=NAMES, local=local)
    try:
        service.restore_outage(outage_id, {}, g.user)
        flash("Подача восстановлена, представители получат уведомление", "ok")
    except WorkflowsError as err:
        flash(err.message, "error")
    return redirect(url_for("outages_ui.outage_show", outage_id=outage_id))


@bp.get("/coverage")
@login_may("outages.view")
def coverage_show() -> Any:
    return render_template("outages/coverage.html", districts=coverage.district_coverage(),
                           acks=coverage.acknowledgement_rate())


def _ledger_building() -> tuple[int | None, str, list[dict[str, Any]], str | None]:
    """The ledger's building, picked by address (or by the id a candidate link carries): its id, the address
    to show in the field, candidates when the address names several buildings, and an error."""
    address = (request.args.get("address") or "").strip()
    if len(address) > 300:
        return None, address[:300], [], "Адрес не длиннее 300 символов"
    if address:
        building, candidates = find_building(address)
        if building is not None:
            return building.id, building.address, [], None
        return None, address, candidates, "Уточните дом из списка ниже" if candidates else "Адрес не найден"
    building_id = as_id(request.args.get("building_id", ""))
    found = db.session.get(Building, building_id) if building_id is not None else None
    return building_id, found.address if found is not None else "", [], None


def _ledger_rows() -> tuple[list[ledger.LedgerRow], dict[str, Any], str, str, list[dict[str, Any]]]:
    """The month asked for (this month by default) in the user's scope, field errors, the picked address."""
    month = request.args.get("month") or local_month()
    building_id, address, candidates, problem = _ledger_building()
    if problem:
        return [], {"address": problem}, month, address, candidates
    try:
        scope = ledger.scope_for(g.user, month, building_id, request.args.get("resource") or None)
    except ValidationFailed as err:
        return [], err.details if isinstance(err.details, dict) else {}, month, address, []
    return ledger.ledger(scope), {}, month, address, []


@bp.get("/ledger")
@login_may("outages.view")
def ledger_show() -> Any:
    rows, errors, month, address, candidates = _ledger_rows()
    return render_template("outages/ledger.html", rows=rows, names=NAMES, args=request.args, month=month,
                           month_name=_month_name(month), errors=errors, local=local, limit_words=limit_words,
                           num=_num, resources=RESOURCES, address=address, candidates=candidates), \
        422 if errors else 200


MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь")


def _month_name(month: str) -> str:
    year, _, number = month.partition("-")
    return f"{MONTHS[int(number) - 1]} {year}" if number.isdigit() and 1 <= int(number) <= 12 else month


def _num(value: float | None) -> str:
    """A figure as Russians write it: 2,5 — no trailing zeros."""
    return "—" if value is None else f"{round(value, 2):g}".replace(".", ",")


@bp.get("/ledger.xlsx")
@login_may("outages.view")
def ledger_xlsx() -> Any:
    rows, errors, month, _, _ = _ledger_rows()
    if errors:
        flash("; ".join(str(v) for v in errors.values()), "error")
        return redirect(url_for("outages_ui.ledger_show"))
    return Response(to_xlsx(rows), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="interruptions-{month}.xlsx"'})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
