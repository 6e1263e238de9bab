"""Account services: create users, check passwords, issue and resolve API tokens."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from workflows.accounts.models import ROLES, ApiToken, User
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.registry.models import Organization


def product_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults: RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes)."""
    return PasswordHasher()


_hasher = product_hasher()  # the parameters go into each hash: any argon2 hash verifies whatever made it
ORG_BOUND_ROLES = frozenset({"org_staff", "org_head"})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(login: str, role: str, organization_id: int | None = None, password: str | None = None,
                full_name: str = "") -> User:
    errors: dict[str, str] = {}
    if role not in ROLES:
        errors["role"] = f"нет роли {role!r}; есть: {', '.join(ROLES)}"
    if not login or len(login) > 80:
        errors["login"] = "логин — от 1 до 80 символов"
    elif db.session.scalar(select(User).where(User.login == login)):
        errors["login"] = f"логин {login!r} занят"
    if role in ORG_BOUND_ROLES and organization_id is None:
        errors["organization_id"] = f"роль {role} принадлежит одной организации: укажите --org"
    if organization_id is not None and db.session.get(Organization, organization_id) is None:
        errors["organization_id"] = f"нет организации {organization_id}"
    if password is not None and len(password) < 8:
        errors["password"] = "пароль — не короче 8 символов"
    if errors:
        raise ValidationFailed("пользователя нельзя создать", errors)
    user = User(login=login, role=role, organization_id=organization_id, full_name=full_name,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.commit()
    return user


def check_password(login: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None or not user.active or not user.password_hash:
        _hasher.hash("spend-equal-time")  # keep timing flat for unknown logins
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(login: str) -> str:
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"no user {login!r}")
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked or not row.user.active:
        return None
    return row.user
