"""Staff screens for outages: register with a preview of the buildings, the outage card with delivery
progress, coverage, rollout waves (admins) and the interruption ledger with its Excel export."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, Response, flash, g, jsonify, redirect, render_template, request, url_for

from web.auth import login_roles
from workflows.accounts.models import CITY_WIDE_ROLES
from workflows.delivery import delivery_stats
from workflows.errors import ValidationFailed, WorkflowsError
from workflows.ids import as_id, digits
from workflows.outages import coverage, ledger, queries, service
from workflows.outages.access import get_outage
from workflows.outages.intervals import zone
from workflows.outages.models import KINDS, RESOURCES
from workflows.outages.notices import group_key
from workflows.outages.texts import KIND_NAMES, RESOURCE_NAMES, STATUS_NAMES, local
from workflows.registry.service import list_organizations

bp = Blueprint("outages_ui", __name__, url_prefix="/staff")
STAFF = ("dispatcher", "coordinator", "org_staff", "org_head", "official")
REGISTRARS = ("dispatcher", "coordinator", "org_staff", "org_head")
NAMES = {"kinds": KIND_NAMES, "resources": RESOURCE_NAMES, "statuses": STATUS_NAMES}


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
            "addresses": [line.strip() for line in form.get("addresses", "").splitlines() if line.strip()] or None}


@bp.route("/outages/new", methods=["GET", "POST"])
@login_roles(*REGISTRARS)
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
    orgs = [o for o in list_organizations() if o.kind in ("rso", "uk", "tsj", "gas_emergency")]
    if g.user.role not in CITY_WIDE_ROLES:
        orgs = [o for o in orgs if o.id == g.user.organization_id]
    return render_template("outages/new.html", form=request.form, errors=errors, affected=affected, orgs=orgs,
                           kinds=KINDS, resources=RESOURCES, names=NAMES), 422 if errors else 200


@bp.get("/outages")
@login_roles(*STAFF)
def outage_list() -> Any:
    items, total = queries.list_outages(g.user, {"status": request.args.get("status") or None}, 1, 200)
    return render_template("outages/list.html", items=items, total=total, names=NAMES, local=local)


@bp.get("/outages/<int:outage_id>")
@login_roles(*STAFF)
def outage_show(outage_id: int) -> Any:
    outage = get_outage(outage_id, g.user)
    return render_template("outages/card.html", outage=outage, data=queries.outage_to_dict(outage), names=NAMES,
                           local=local, overdue=queries.is_overdue(outage))


@bp.get("/outages/<int:outage_id>/deliveries.json")
@login_roles(*STAFF)
def outage_deliveries(outage_id: int) -> Any:
    return jsonify(dict(delivery_stats(group_key(get_outage(outage_id, g.user).id))))


@bp.post("/outages/<int:outage_id>/update")
@login_roles(*REGISTRARS)
def outage_update(outage_id: int) -> Any:
    payload = {"ends_at": _iso_local(request.form.get("ends_at", "")),
               "description": request.form.get("description") or None}
    try:
        service.update_outage(outage_id, payload, g.user)
        flash("Срок изменён, представители получат обновление", "ok")
    except WorkflowsError as err:
        flash(f"{err.message}: {err.details}" if err.details else err.message, "error")
    return redirect(url_for("outages_ui.outage_show", outage_id=outage_id))


@bp.post("/outages/<int:outage_id>/restore")
@login_roles(*REGISTRARS)
def outage_restore(outage_id: int) -> Any:
    try:
        service.restore_outage(outage_id, {}, g.user)
        flash("Подача восстановлена, представители получат уведомление", "ok")
    except WorkflowsError as err:
        flash(err.message, "error")
    return redirect(url_for("outages_ui.outage_show", outage_id=outage_id))


@bp.get("/coverage")
@login_roles(*STAFF)
def coverage_show() -> Any:
    return render_template("outages/coverage.html", districts=coverage.district_coverage(),
                           acks=coverage.acknowledgement_rate())


@bp.route("/waves", methods=["GET", "POST"])
@login_roles("admin")
def waves() -> Any:
    if request.method == "POST":
        wave = coverage.set_wave(int(request.form.get("wave_id", "0") or 0), request.form.get("enabled") == "1")
        flash(f"Волна «{wave.name}» {'включена' if wave.enabled else 'выключена'}", "ok")
        return redirect(url_for("outages_ui.waves"))
    return render_template("outages/waves.html", waves=coverage.waves())


def _ledger_rows() -> list[ledger.LedgerRow]:
    building = request.args.get("building_id", "")
    month = request.args.get("month", "")
    year, _, number = month.partition("-")
    parsed = (int(year), int(number)) if digits(year) and digits(number) and 1 <= int(number) <= 12 else None
    org = g.user.organization_id if g.user.role not in CITY_WIDE_ROLES else None
    return ledger.ledger(as_id(building), parsed, org)


@bp.get("/ledger")
@login_roles(*STAFF)
def ledger_show() -> Any:
    return render_template("outages/ledger.html", rows=_ledger_rows(), names=NAMES, args=request.args)


@bp.get("/ledger.xlsx")
@login_roles(*STAFF)
def ledger_xlsx() -> Any:
    return Response(ledger.to_xlsx(_ledger_rows()),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="interruptions.xlsx"'})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
