"""Building representatives on screen: pick a building by address, see its representatives and their consent
records, add one, deactivate one, send the invitation again; the buildings still without a representative,
as a list, CSV, Excel and a printable page of invitation links. УК/РСО staff see their own buildings only."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from web.admin_forms import CHANNEL_NAMES, REP_ROLE_NAMES, ActionForm, AddressForm, RepresentativeForm, apply_errors
from web.auth import login_may
from web.tables_export import csv_bytes, workbook_bytes
from workflows.errors import WorkflowsError
from workflows.ids import as_id
from workflows.outages import rep_admin
from workflows.outages import representatives as reps
from workflows.outages.public import find_building
from workflows.outages.texts import local
from workflows.outages.waves import districts
from workflows.registry.models import Building

bp = Blueprint("reps_ui", __name__, url_prefix="/staff")
PRINT_LIMIT = 300
COLUMNS = ("Адрес", "Район", "Управляющая компания", "Волна", "Ссылка Telegram", "Ссылка MAX", "Код приглашения")


@bp.get("/representatives")
@login_may("representatives.screens")
def representatives() -> Any:
    pick = AddressForm(request.args)
    building_id = as_id(request.args.get("building_id", ""))
    building: Building | None = None
    candidates: list[dict[str, Any]] = []
    if building_id is not None:
        building = rep_admin.building_in_reach(building_id, g.user)
    elif pick.address.data and pick.validate():
        building, candidates = find_building(pick.address.data)
        if building is None and not candidates:
            pick.address.errors = ["Адрес не найден в реестре домов"]
        if building is not None:
            building = rep_admin.building_in_reach(building.id, g.user)
    return _page(pick, building, candidates, RepresentativeForm(), 422 if pick.errors else 200)


def _page(pick: AddressForm, building: Building | None, candidates: list[dict[str, Any]],
          form: RepresentativeForm, status: int) -> Any:
    people = reps.building_representatives(building.id) if building is not None else []
    consents = {rep.id: reps.consents_of(rep.id) for rep in people}
    links = reps.invitation_links(reps.invitation(building.id, g.user).token) if building is not None else {}
    return render_template("admin/representatives.html", pick=pick, building=building, candidates=candidates,
                           people=people, consents=consents, form=form, action=ActionForm(), links=links,
                           local=local, role_names=REP_ROLE_NAMES, channel_names=CHANNEL_NAMES), status


@bp.post("/representatives/<int:building_id>/add")
@login_may("representatives.screens")
def representative_add(building_id: int) -> Any:
    building = rep_admin.building_in_reach(building_id, g.user)
    form = RepresentativeForm()
    if form.validate_on_submit():
        try:
            rep_admin.add(building_id, {"name": form.name.data or "", "role": form.role.data,
                                        "channel": form.channel.data, "address": form.address.data or "",
                                        "consent": bool(form.consent.data)}, g.user)
            flash("Представитель добавлен, согласие записано", "ok")
            return redirect(url_for("reps_ui.representatives", building_id=building_id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
            if not isinstance(err.details, dict):
                form.form_errors.append(err.message)
    return _page(AddressForm(), building, [], form, 422)


@bp.post("/representatives/person/<int:rep_id>/deactivate")
@login_may("representatives.screens")
def representative_deactivate(rep_id: int) -> Any:
    return _act(rep_id, rep_admin.deactivate, "Представитель отключён: уведомления ему больше не идут")


@bp.post("/representatives/person/<int:rep_id>/invite")
@login_may("representatives.screens")
def representative_invite(rep_id: int) -> Any:
    return _act(rep_id, rep_admin.resend_invitation, "Приглашение поставлено в очередь на отправку")


def _act(rep_id: int, change: Any, done: str) -> Any:
    if not ActionForm().validate_on_submit():
        flash("Форма устарела: обновите страницу", "error")
        return redirect(request.referrer or url_for("reps_ui.representatives"))
    rep = change(rep_id, g.user)  # NotFound / Forbidden / Conflict answer as Russian 404 / 403 / 409
    flash(done, "ok")
    return redirect(url_for("reps_ui.representatives", building_id=rep.building_id))


def _uncovered() -> tuple[list[Building], str]:
    district = (request.args.get("district") or "").strip()[:100]
    return rep_admin.uncovered_buildings(g.user, district or None), district


@bp.get("/uncovered")
@login_may("representatives.screens")
def uncovered() -> Any:
    buildings, district = _uncovered()
    return render_template("admin/uncovered.html", buildings=buildings, district=district, districts=districts(),
                           limit=rep_admin.UNCOVERED_LIMIT, print_limit=PRINT_LIMIT)


def _rows(buildings: list[Building]) -> list[list[Any]]:
    tokens = rep_admin.invitation_tokens(buildings)
    rows = []
    for b in buildings:
        links = reps.invitation_links(tokens[b.id])
        rows.append([b.address, b.district, b.management_org.name if b.management_org else "",
                     b.wave.name if b.wave else "", links["telegram"], links["max"], links["token"]])
    return rows


@bp.get("/uncovered.csv")
@login_may("representatives.screens")
def uncovered_csv() -> Any:
    buildings, _ = _uncovered()
    return Response(csv_bytes(COLUMNS, _rows(buildings)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="buildings-without-representative.csv"'})


@bp.get("/uncovered.xlsx")
@login_may("representatives.screens")
def uncovered_xlsx() -> Any:
    buildings, _ = _uncovered()
    body = workbook_bytes([("Дома без представителя", COLUMNS, _rows(buildings))])
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="buildings-without-representative.xlsx"'})


@bp.get("/uncovered/print")
@login_may("representatives.screens")
def uncovered_print() -> Any:
    buildings, district = _uncovered()
    shown = buildings[:PRINT_LIMIT]
    tokens = rep_admin.invitation_tokens(shown)
    sheets = [(b, reps.invitation_links(tokens[b.id])) for b in shown]
    return render_template("admin/invitations_print.html", sheets=sheets, district=district,
                           more=len(buildings) - len(shown))
