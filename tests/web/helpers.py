"""Helpers for HTTP tests: users with tokens and passwords, form tokens from pages."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

from workflows.accounts.service import create_token, create_user
from workflows.registry.models import Organization

PASSWORD = "Correct-horse-1"


def user_with_token(login: str, role: str, org: Organization | None = None) -> dict[str, str]:
    create_user(login, role, org.id if org else None, PASSWORD)
    return {"Authorization": f"Bearer {create_token(login)}"}


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client: FlaskClient, login_name: str, password: str = PASSWORD) -> None:
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"login": login_name, "password": password, "csrf_token": csrf_token(page)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
