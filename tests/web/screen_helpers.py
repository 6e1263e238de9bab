"""Helpers for the appeal screens' tests: a logged-in client per role, appeals registered through intake."""
from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient

from tests.registering import register_appeal
from tests.web.helpers import PASSWORD, login
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.registry.models import Organization


class ScreenClient(FlaskClient):
    """A test client for tests that hold an app context open: requests then share `g`, where Flask-Login
    and Flask-WTF cache the user and the form token; forget them so each client is its own browser."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for name in ("_login_user", "csrf_token"):
            g.pop(name, None)
        return super().open(*args, **kwargs)


def client_as(app: Flask, login_name: str, role: str, org: Organization | None) -> FlaskClient:
    create_user(login_name, role, org.id if org else None, PASSWORD, full_name=f"{role} {login_name}")
    client = ScreenClient(app, app.response_class, use_cookies=True)
    login(client, login_name)
    return client


def register(building_id: int, text: str = "Течёт крыша над кухней", category: str = "roof", **extra: Any) -> Appeal:
    payload = {"text": text, "channel": "phone", "building_id": building_id, "category": category,
               "applicant": {"name": "Иванова Анна", "phone": "+79001234567"}, **extra}
    actor = db.session.query(User).filter_by(role="dispatcher").first()
    return register_appeal(payload, actor).appeal
