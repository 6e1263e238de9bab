"""One table of who may do what: the screen, its menu link and the API answer from the same row."""
from __future__ import annotations

import pytest
from flask import Flask
from flask_login import login_user

from tests.web.helpers import user_with_token
from tests.web.screen_helpers import client_as
from web.auth import may_open
from workflows.accounts import permissions
from workflows.accounts.models import ROLES, User
from workflows.db import db


def test_changing_a_row_changes_the_screen_the_menu_and_the_api(app: Flask,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    screen = client_as(app, "official1", "official", None)
    headers = user_with_token("official_api", "official")
    assert screen.get("/analytics").status_code == 200
    assert app.test_client().get("/api/v1/stats", headers=headers).status_code == 200

    monkeypatch.setitem(permissions.PERMISSIONS, "stats.read", frozenset({"coordinator"}))
    assert screen.get("/analytics").status_code == 403
    answer = app.test_client().get("/api/v1/stats", headers=headers)
    assert answer.status_code == 403 and "coordinator, admin" in answer.get_json()["message"]
    with app.test_request_context():
        login_user(db.session.query(User).filter_by(login="official1").one())
        assert not may_open("analytics.analytics_page")
        monkeypatch.setitem(permissions.PERMISSIONS, "stats.read", frozenset({"official"}))
        assert may_open("analytics.analytics_page")


def test_every_guarded_view_names_an_action_in_the_table(app: Flask) -> None:
    actions = {getattr(view, "screen_action", None) for view in app.view_functions.values()} - {None}
    assert actions and permissions.unknown_actions(actions) == []
    assert {"stats.read", "tasks.assign", "outages.register"} <= actions


def test_the_table_names_only_real_roles_and_admin_may_everything() -> None:
    for action, roles in permissions.PERMISSIONS.items():
        assert roles <= set(ROLES) - {"admin"}, action
        assert permissions.may("admin", action)
    assert not permissions.may(None, "stats.read") and not permissions.may("designer", "tasks.assign")
    with pytest.raises(KeyError):
        permissions.may("dispatcher", "no.such.action")
