"""Users and roles on screen (admin): the list, a new user, changing role, organisation and name,
deactivating and bringing back, setting a new password."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from web.admin_forms import ActionForm, PasswordForm, UserCreateForm, UserEditForm, apply_errors, organization_choices
from web.auth import login_may
from web.labels import ROLE_LABELS
from workflows.accounts import admin as accounts
from workflows.errors import WorkflowsError
from workflows.ids import as_id
from workflows.registry.service import list_organizations

bp = Blueprint("users_ui", __name__, url_prefix="/admin/users")


def _with_orgs(form: UserEditForm) -> UserEditForm:
    form.organization_id.choices = organization_choices(list_organizations(), "— без организации —")
    return form


@bp.get("")
@login_may("users.manage")
def user_list() -> Any:
    role = request.args.get("role", "")
    users = accounts.list_users(role if role in ROLE_LABELS else None)
    return render_template("admin/users.html", users=users, roles=ROLE_LABELS, role=role)


@bp.route("/new", methods=["GET", "POST"])
@login_may("users.manage")
def user_new() -> Any:
    form = _with_orgs(UserCreateForm())
    if form.validate_on_submit():
        try:
            user = accounts.create(form.login.data or "", form.full_name.data or "", form.role.data or "",
                                   as_id(form.organization_id.data or ""), form.password.data or "", g.user)
            flash(f"Пользователь {user.login} создан", "ok")
            return redirect(url_for("users_ui.user_show", user_id=user.id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return render_template("admin/user_new.html", form=form), 422 if form.errors or form.form_errors else 200


def _user_page(user_id: int, status: int = 200, edit: UserEditForm | None = None,
               password: PasswordForm | None = None) -> Any:
    user = accounts.get_user(user_id)
    if edit is None:
        edit = _with_orgs(UserEditForm(data={"full_name": user.full_name, "role": user.role,
                                             "organization_id": str(user.organization_id or "")}))
    return render_template("admin/user.html", user=user, edit=edit, password=password or PasswordForm(),
                           action=ActionForm(), roles=ROLE_LABELS), status


@bp.get("/<int:user_id>")
@login_may("users.manage")
def user_show(user_id: int) -> Any:
    return _user_page(user_id)


@bp.post("/<int:user_id>")
@login_may("users.manage")
def user_change(user_id: int) -> Any:
    form = _with_orgs(UserEditForm())
    if form.validate_on_submit():
        try:
            accounts.change(user_id, form.full_name.data or "", form.role.data or "",
                            as_id(form.organization_id.data or ""), g.user)
            flash("Изменения сохранены", "ok")
            return redirect(url_for("users_ui.user_show", user_id=user_id))
        except WorkflowsError as err:
            apply_errors(form, err.details)
    return _user_page(user_id, 422, edit=form)


@bp.post("/<int:user_id>/password")
@login_may("users.manage")
def user_password(user_id: int) -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user_id, form.password.data or "", g.user)
        flash("Пароль изменён; открытые сеансы пользователя завершены", "ok")
        return redirect(url_for("users_ui.user_show", user_id=user_id))
    return _user_page(user_id, 422, password=form)


@bp.post("/<int:user_id>/active")
@login_may("users.manage")
def user_active(user_id: int) -> Any:
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "1"
        try:
            accounts.set_active(user_id, active, g.user)
            flash("Пользователь снова может входить" if active else "Пользователь отключён, его сеансы завершены",
                  "ok")
        except WorkflowsError as err:
            flash(err.message, "error")
    return redirect(url_for("users_ui.user_show", user_id=user_id))
