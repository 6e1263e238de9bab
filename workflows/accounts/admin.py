"""Users and roles managed by an admin on screen: list, create, change role and organisation, deactivate,
set a new password (which ends the user's open sessions) — each change written to the audit log."""
from __future__ import annotations

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import ROLES, User, WebSession
from workflows.accounts.service import ORG_BOUND_ROLES, hash_password
from workflows.audit import service as audit
from workflows.db import db
from workflows.errors import Conflict, NotFound, ValidationFailed
from workflows.registry.models import Organization

MIN_PASSWORD = 8
SCREEN_ROLES = tuple(r for r in ROLES if r != "integration")  # API clients are made with the CLI


def list_users(role: str | None = None, organization_id: int | None = None) -> list[User]:
    query = select(User).order_by(User.active.desc(), User.login)
    if role:
        query = query.where(User.role == role)
    if organization_id is not None:
        query = query.where(User.organization_id == organization_id)
    return list(db.session.scalars(query))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"нет пользователя {user_id}")
    return user


def _check_role(role: str, organization_id: int | None, errors: dict[str, str]) -> None:
    if role not in ROLES:
        errors["role"] = "нет такой роли"
    if role in ORG_BOUND_ROLES and organization_id is None:
        errors["organization_id"] = "для этой роли нужна организация"
    if organization_id is not None and db.session.get(Organization, organization_id) is None:
        errors["organization_id"] = "нет такой организации"


def create(login: str, full_name: str, role: str, organization_id: int | None, password: str,
           actor: User) -> User:
    errors: dict[str, str] = {}
    login = login.strip()
    if not login or len(login) > 80:
        errors["login"] = "логин от 1 до 80 символов"
    elif db.session.scalar(select(User.id).where(User.login == login)) is not None:
        errors["login"] = "этот логин уже занят"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"пароль не короче {MIN_PASSWORD} символов"
    _check_role(role, organization_id, errors)
    if errors:
        raise ValidationFailed("пользователь не создан", errors)
    user = User(login=login, full_name=full_name.strip()[:200], role=role, organization_id=organization_id,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user_create", f"user:{user.id}", actor.id,
                 {"login": login, "role": role, "organization_id": organization_id})
    db.session.commit()
    return user


def change(user_id: int, full_name: str, role: str, organization_id: int | None, actor: User) -> User:
    """New name, role or organisation; an admin cannot take the admin role from themselves. Commits."""
    user = get_user(user_id)
    errors: dict[str, str] = {}
    _check_role(role, organization_id, errors)
    if user.id == actor.id and role != user.role:
        errors["role"] = "свою роль администратор не меняет — это сделает другой администратор"
    if errors:
        raise ValidationFailed("изменения не сохранены", errors)
    before = {"full_name": user.full_name, "role": user.role, "organization_id": user.organization_id}
    user.full_name, user.role, user.organization_id = full_name.strip()[:200], role, organization_id
    after = {"full_name": user.full_name, "role": role, "organization_id": organization_id}
    audit.record("user_change", f"user:{user.id}", actor.id,
                 {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]})
    db.session.commit()
    return user


def _end_sessions(user: User) -> None:
    for row in db.session.scalars(select(WebSession).where(WebSession.user_id == user.id,
                                                           WebSession.ended_at.is_(None))):
        row.ended_at = clock.now()


def set_active(user_id: int, active: bool, actor: User) -> User:
    user = get_user(user_id)
    if user.id == actor.id and not active:
        raise Conflict("нельзя отключить самого себя")
    user.active = active
    if not active:
        _end_sessions(user)
    audit.record("user_activate" if active else "user_deactivate", f"user:{user.id}", actor.id, {})
    db.session.commit()
    return user


def set_password(user_id: int, password: str, actor: User) -> User:
    """A new password given by the admin; the user's open sessions end. Commits."""
    if len(password) < MIN_PASSWORD or len(password) > 200:
        raise ValidationFailed("пароль не изменён", {"password": f"пароль от {MIN_PASSWORD} до 200 символов"})
    user = get_user(user_id)
    user.password_hash = hash_password(password)
    _end_sessions(user)
    audit.record("user_password", f"user:{user.id}", actor.id, {})
    db.session.commit()
    return user
