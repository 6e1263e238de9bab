"""Organisations on screen (admin; coordinators may look): which resources each supplies and to how many
buildings, adding one, changing its name, phone, ИНН and resources."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for

from web.admin_forms import OrganizationForm, apply_errors
from web.auth import login_may
from web.labels import KIND_LABELS, SUPPLY_LABELS
from workflows.errors import WorkflowsError
from workflows.registry import org_admin

bp = Blueprint("orgs_ui", __name__, url_prefix="/admin/organizations")


@bp.get("")
@login_may("organizations.view")
def org_list() -> Any:
    return render_template("admin/organizations.html", rows=org_admin.overview(), kinds=KIND_LABELS,
                           supplies=SUPPLY_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@login_may("organizations.manage")
def org_new() -> Any:
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = org_admin.create(form.name.data or "", form.kind.data or "", list(form.resources.data or []),
                                   form.phone.data or "", form.inn.data or "", g.user.id)
            flash(f"Организация «{org.name}» добавлена", "ok")
            return redirect(url_for("orgs_ui.org_list"))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return render_template("admin/organization.html", form=form, org=None), \
        422 if form.errors or form.form_errors else 200


@bp.route("/<int:org_id>", methods=["GET", "POST"])
@login_may("organizations.manage")
def org_edit(org_id: int) -> Any:
    org = org_admin.get_organization(org_id)
    form = OrganizationForm(obj=None, data={"name": org.name, "kind": org.kind, "resources": list(org.resources or []),
                                            "phone": org.phone or "", "inn": org.inn or ""})
    del form.kind  # the kind stays: routing and scope depend on it
    if form.validate_on_submit():
        try:
            org_admin.change(org.id, form.name.data or "", list(form.resources.data or []), form.phone.data or "",
                             form.inn.data or "", g.user.id)
            flash("Изменения сохранены", "ok")
            return redirect(url_for("orgs_ui.org_list"))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return render_template("admin/organization.html", form=form, org=org), \
        422 if form.errors or form.form_errors else 200
