"""Rollout waves on screen (admin): the list with coverage, a new wave, and one wave's page — its name, the
buildings put in it by district, management company or address list, its scheduled switch-on, and the
buildings of the wave still without a representative."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from web.admin_forms import (
    ActionForm,
    NameForm,
    ScheduleForm,
    SwitchForm,
    WaveBuildingsForm,
    apply_errors,
    organization_choices,
)
from web.auth import login_may
from workflows.errors import WorkflowsError
from workflows.ids import as_id
from workflows.outages import waves
from workflows.outages.intervals import zone
from workflows.outages.texts import local
from workflows.registry.service import list_organizations

bp = Blueprint("waves_ui", __name__, url_prefix="/staff/waves")
MANAGERS = ("uk", "tsj")


@bp.route("", methods=["GET", "POST"])
@login_may("outages.waves")
def wave_list() -> Any:
    if request.method == "POST":  # the switch buttons of the list
        form = SwitchForm()
        wave_id = as_id(request.form.get("wave_id", ""))
        if form.validate_on_submit() and wave_id is not None:
            try:
                wave = waves.switch(wave_id, form.enabled.data == "1", g.user)
                flash(f"Волна «{wave.name}»: уведомления {'включены' if wave.enabled else 'выключены'}", "ok")
            except WorkflowsError as err:
                flash(err.message, "error")
        else:
            flash("Не удалось переключить волну: обновите страницу и попробуйте снова", "error")
        return redirect(url_for("waves_ui.wave_list"))
    return _list_page(NameForm(), 200)


def _list_page(create: NameForm, status: int) -> Any:
    return render_template("admin/waves.html", rows=waves.overview(), create=create, switch=SwitchForm(),
                           unassigned=waves.buildings_without_wave(), local=local), status


@bp.post("/new")
@login_may("outages.waves")
def wave_create() -> Any:
    form = NameForm()
    if form.validate_on_submit():
        try:
            wave = waves.create_wave(form.name.data or "", g.user)
            flash(f"Волна «{wave.name}» создана; добавьте в неё дома", "ok")
            return redirect(url_for("waves_ui.wave_show", wave_id=wave.id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return _list_page(form, 422)


def _buildings_form() -> WaveBuildingsForm:
    form = WaveBuildingsForm()
    form.district.choices = [("", "— не выбран —")] + [(d, d) for d in waves.districts()]
    form.organization_id.choices = organization_choices(
        [o for o in list_organizations() if o.kind in MANAGERS], "— не выбрана —")
    return form


def _wave_page(wave_id: int, status: int = 200, **forms: Any) -> Any:
    wave = waves.get_wave(wave_id)
    schedule = forms.get("schedule") or ScheduleForm()
    if wave.switch_on_at is not None and not schedule.switch_on_at.data:
        schedule.switch_on_at.data = wave.switch_on_at.astimezone(zone()).replace(tzinfo=None)
    rename = forms.get("rename") or NameForm(data={"name": wave.name})
    return render_template("admin/wave.html", wave=wave, cover=waves.coverage(wave_id), local=local,
                           rename=rename, schedule=schedule, buildings=forms.get("buildings") or _buildings_form(),
                           action=ActionForm(), switch=SwitchForm(), unresolved=forms.get("unresolved", [])), status


@bp.get("/<int:wave_id>")
@login_may("outages.waves")
def wave_show(wave_id: int) -> Any:
    return _wave_page(wave_id)


@bp.post("/<int:wave_id>/name")
@login_may("outages.waves")
def wave_rename(wave_id: int) -> Any:
    form = NameForm()
    if form.validate_on_submit():
        try:
            waves.rename_wave(wave_id, form.name.data or "", g.user)
            flash("Название сохранено", "ok")
            return redirect(url_for("waves_ui.wave_show", wave_id=wave_id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return _wave_page(wave_id, 422, rename=form)


@bp.post("/<int:wave_id>/buildings")
@login_may("outages.waves")
def wave_buildings(wave_id: int) -> Any:
    form = _buildings_form()
    if form.validate_on_submit():
        lines = (form.addresses.data or "").splitlines()
        try:
            placed = waves.add_buildings(wave_id, g.user, form.district.data or None,
                                         as_id(form.organization_id.data or ""), lines)
        except WorkflowsError as err:
            apply_errors(form, err.details)
            return _wave_page(wave_id, 422, buildings=form)
        flash(f"Добавлено в волну домов: {placed.added}", "ok")
        if placed.unresolved:
            flash(f"Не распознаны адреса ({len(placed.unresolved)}), проверьте их ниже", "error")
            return _wave_page(wave_id, 200, unresolved=placed.unresolved)
        return redirect(url_for("waves_ui.wave_show", wave_id=wave_id))
    return _wave_page(wave_id, 422, buildings=form)


@bp.post("/<int:wave_id>/schedule")
@login_may("outages.waves")
def wave_schedule(wave_id: int) -> Any:
    form = ScheduleForm()
    if form.validate_on_submit() and form.switch_on_at.data is not None:
        try:
            wave = waves.schedule(wave_id, form.switch_on_at.data.replace(tzinfo=zone()), g.user)
            flash(f"Уведомления включатся {local(wave.switch_on_at)}", "ok")
            return redirect(url_for("waves_ui.wave_show", wave_id=wave_id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
            if not isinstance(err.details, dict):
                form.switch_on_at.errors = [*form.switch_on_at.errors, err.message]
    return _wave_page(wave_id, 422, schedule=form)


@bp.post("/<int:wave_id>/unschedule")
@login_may("outages.waves")
def wave_unschedule(wave_id: int) -> Any:
    if ActionForm().validate_on_submit():
        waves.schedule(wave_id, None, g.user)
        flash("Запланированное включение отменено", "ok")
    return redirect(url_for("waves_ui.wave_show", wave_id=wave_id))


@bp.post("/<int:wave_id>/switch")
@login_may("outages.waves")
def wave_switch(wave_id: int) -> Any:
    form = SwitchForm()
    if form.validate_on_submit():
        wave = waves.switch(wave_id, form.enabled.data == "1", g.user)
        flash(f"Уведомления {'включены' if wave.enabled else 'выключены'}", "ok")
    else:
        flash("Не удалось переключить волну: обновите страницу и попробуйте снова", "error")
    return redirect(url_for("waves_ui.wave_show", wave_id=wave_id))
