"""Who is calling: session login for screens, bearer tokens for the API, and role checks."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from web.errors import error_response
from web.redirects import redirect_next
from workflows.accounts import permissions, sessions
from workflows.accounts.models import User
from workflows.accounts.service import check_password, user_for_token
from workflows.db import db
from workflows.ids import digits

F = TypeVar("F", bound=Callable[..., Any])
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Войдите, чтобы продолжить"
bp = Blueprint("auth", __name__)
API_ONLY_ROLES = frozenset({"integration"})  # machine clients: tokens only, never a screen or an export
SESSION_KEY = "otklik_session"  # the server-side session's token (web_session)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if digits(user_id) else None
    if user is None or not user.active or user.role in API_ONLY_ROLES:
        return None
    return user if sessions.session_alive(session.get(SESSION_KEY), user.id) else None


def api_user() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())


def api_may(action: str | None = None) -> Callable[[F], F]:
    """Require a bearer token (and, with `action`, a role the permission table allows it) on an API view."""
    if action is not None:
        permissions.roles_for(action)  # an action missing from the table fails at import, not per request

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = api_user()
            if user is None:
                return error_response(401, "unauthorized", "a valid bearer token is required")
            if action is not None and not permissions.may(user.role, action):
                return error_response(403, "forbidden",
                                      f"this call needs one of the roles: {permissions.described(action)}")
            g.user = user
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def api_auth() -> Callable[[F], F]:
    """Require a bearer token on an API view (any role; what it shows is scoped by the services)."""
    return api_may(None)


def login_may(action: str | None = None) -> Callable[[F], F]:
    """Require a logged-in user (and, with `action`, a role the permission table allows it) on a screen."""
    if action is not None:
        permissions.roles_for(action)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if action is not None and not permissions.may(current_user.role, action):
                return render_template("error.html", status=403, message="Недостаточно прав"), 403
            g.user = current_user._get_current_object()
            return view(*args, **kwargs)

        wrapper.screen_action = action  # type: ignore[attr-defined]  # read by may_open()
        return cast(F, wrapper)

    return decorate


def login_roles() -> Callable[[F], F]:
    """Require a logged-in user, any role, on a screen."""
    return login_may(None)


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user may open the screen at `endpoint`: menus and buttons show only those."""
    if not current_user.is_authenticated:
        return False
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    action = getattr(view, "screen_action", None)
    return action is None or permissions.may(current_user.role, action)


class LoginForm(FlaskForm):
    login = StringField("Логин", validators=[DataRequired(message="Введите логин")])
    password = PasswordField("Пароль", validators=[DataRequired(message="Введите пароль")])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        user = check_password(form.login.data or "", form.password.data or "")
        if user is not None and user.role in API_ONLY_ROLES:
            form.login.errors = ["Учётная запись интеграции работает только через API, вход на экраны закрыт"]
            return render_template("login.html", form=form), 403
        if user is not None:
            login_user(user)
            session[SESSION_KEY] = sessions.start_session(user)
            return redirect_next(request.args.get("next"), url_for("ui.index"))
        form.password.errors = ["Неверный логин или пароль"]
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    sessions.end_session(session.get(SESSION_KEY))
    logout_user()
    session.clear()
    flash("Вы вышли из системы")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.add_template_global(may_open, "may_open")
    app.register_blueprint(bp)
