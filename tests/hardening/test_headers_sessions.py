"""Item 7 of issue 14: security headers on every answer, Secure cookies, logout that really ends a session."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.web.helpers import PASSWORD, csrf_token
from tests.web.screen_helpers import ScreenClient
from web.app import create_app
from workflows.accounts.service import create_user

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def test_every_answer_carries_the_security_headers(client: FlaskClient, city: City) -> None:
    for path in ("/login", "/outages", "/api/v1/appeals", "/open311/v2/services.json", "/no-such-page"):
        answer = client.get(path)
        csp = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_handlers_or_styles() -> None:
    import re

    inline_script = re.compile(r"<script(?![^>]*(?:src=|type=\"application/json\"|type=\"text/plain\"))[^>]*>")
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not inline_script.search(text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, template


def test_the_session_cookie_is_secure_unless_development(tmp_path: Path) -> None:
    production = create_app({"TESTING": True, "SECRET_KEY": "x", "QUEUE_URL": "memory://",
                             "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    development = create_app({"TESTING": True, "SECRET_KEY": "x", "QUEUE_URL": "memory://", "ENV": "development",
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    assert development.config["SESSION_COOKIE_SECURE"] is False


def test_a_cookie_saved_before_logout_no_longer_works(app: Flask, city: City) -> None:
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    browser = ScreenClient(app, app.response_class, use_cookies=True)
    page = browser.get("/login").get_data(as_text=True)
    answer = browser.post("/login", data={"login": "disp", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    saved = browser.get_cookie("session")
    assert saved is not None and browser.get("/inbox").status_code == 200
    token = csrf_token(browser.get("/inbox").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = ScreenClient(app, app.response_class, use_cookies=True)
    thief.set_cookie("session", saved.value)
    answer = thief.get("/inbox")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_logins_are_separate_sessions(tmp_path: Path, city: City, app: Flask) -> None:
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    first, second = (ScreenClient(app, app.response_class, use_cookies=True) for _ in range(2))
    for browser in (first, second):
        page = browser.get("/login").get_data(as_text=True)
        browser.post("/login", data={"login": "disp", "password": PASSWORD, "csrf_token": csrf_token(page)})
    token = csrf_token(first.get("/inbox").get_data(as_text=True))
    first.post("/logout", data={"csrf_token": token})
    assert first.get("/inbox").status_code == 302
    assert second.get("/inbox").status_code == 200  # logging out on one computer leaves the other


