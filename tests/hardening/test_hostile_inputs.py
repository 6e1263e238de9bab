"""Item 9 of issue 14: hostile input to every endpoint on PostgreSQL — never a 500, nothing half-written.

Hypothesis draws NUL bytes, lone surrogates, deep JSON, extreme dates, huge numbers and long lists and
puts them into every path parameter, query parameter and body field of every route the app has (taken
from its URL map), as a dispatcher, as an organisation's staff and anonymously.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.web.helpers import PASSWORD, user_with_token
from tests.web.screen_helpers import ScreenClient
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.delivery.models import OutboxMessage
from workflows.integrations.models import WebhookSubscription
from workflows.outages.models import Outage, Representative
from workflows.runtime.models import ProcessInstance

pytestmark = pytest.mark.postgres

HOSTILE_TEXT = st.sampled_from([
    "\x00", "a\x00b", "\ud800", "x\udfffy", "", " ", "\r\n", "\rEND:VEVENT", "%00", "../../etc/passwd", "²",
    "٣", "-1", "0", "99999999999999999999", "1e308", "NaN", "null", "<script>alert(1)</script>", "' OR 1=1 --",
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-13-45", "P9999Y", "R/PT0.001S",
    "//evil.example", "/%09/evil.example", "http://127.0.0.1:6379/", "ы" * 5000,
]) | st.text(max_size=40)
EXTREME_DATES = st.sampled_from(["0001-01-01T00:00:00+03:00", "9999-12-31T23:59:59-03:00", "0001-01-01",
                                 "9999-12-31", "2026-02-30T25:61:00Z", "-0001-01-01"])
SCALARS = st.one_of(HOSTILE_TEXT, EXTREME_DATES, st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none())


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"k": [value]}
    return value


JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    HOSTILE_TEXT, inner, max_size=4), max_leaves=12) | st.sampled_from([
        _deep(40), list(range(30_000)), ["Советская 45"] * 2000, {"\x00": 1}])
FIELDS = ["text", "channel", "address", "building_id", "category", "applicant", "external_id", "kind", "resource",
          "organization_id", "starts_at", "ends_at", "restored_at", "description", "building_ids", "addresses",
          "name", "role", "address", "consent", "url", "events", "secret", "data", "decision", "comment",
          "service_code", "lat", "long", "address_string", "first_name", "phone", "email", "api_key"]
BODIES = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=8) | JSON_VALUES
TABLES = (Appeal, Outage, Representative, WebhookSubscription, ProcessInstance, OutboxMessage)
SKIPPED = ("static", "designer.vendor_file")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, City, dict[str, dict[str, str]]]]:
    from tests.conftest import PostgresDatabase, _dispose_all, _postgres_answers, need

    need(_postgres_answers(), "PostgreSQL")
    database = PostgresDatabase()
    try:
        app = make_app(Path(tmp_path_factory.mktemp("hostile")), database.url, RATELIMIT_ENABLED=False,
                       WEBHOOK_ALLOW_PRIVATE_TARGETS=False, WTF_CSRF_ENABLED=False)
        with app.app_context():
            city = build_city()
            users = {"dispatcher": user_with_token("h-disp", "dispatcher", city.cgds),
                     "staff": user_with_token("h-staff", "org_staff", city.uk1), "anonymous": {},
                     "screen": {"X-Screen-Login": "h-disp"}}  # a logged-in browser posting forms
            yield app, city, users
            db.session.remove()
    finally:
        _dispose_all()
        database.drop()


def _routes(app: Flask) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or rule.endpoint.startswith("designer."):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return found


def _url_text(value: Any) -> str:
    """As a client would put it into a URL: UTF-8 bytes (lone surrogates too), percent-encoded."""
    return quote(str(value).encode("utf-8", "surrogatepass"), safe="")


def _path(rule: str, value: Any, city: City) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or ""
        if converter.startswith("int"):
            return str(city.sovetskaya_45.id if isinstance(value, bool) else abs(hash(str(value))) % 10**12)
        if converter.startswith("any("):
            return converter[4:-1].split(",")[0].strip()
        return _url_text(value)[:200] or "x"

    return re.sub(r"<(?:([^:>]+):)?[^>]+>", fill, rule).replace("<", "").replace(">", "")


def _counts() -> dict[str, int]:
    return {model.__tablename__: int(db.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in TABLES}


def _browser(app: Flask, login: str) -> Any:
    client = ScreenClient(app, app.response_class, use_cookies=True)
    answer = client.post("/login", data={"login": login, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def _send(app: Flask, method: str, path: str, body: Any, headers: dict[str, str], query: dict[str, Any]) -> int:
    text_query = "&".join(f"{_url_text(key)}={_url_text(value)}" for key, value in query.items())
    if "X-Screen-Login" in headers:  # a form, as a browser sends it
        form = {str(k): _url_text(v) for k, v in body.items()} if isinstance(body, dict) else {}
        answer = _browser(app, headers["X-Screen-Login"]).open(
            path, method=method, data="&".join(f"{_url_text(k)}={v}" for k, v in form.items()),
            content_type="application/x-www-form-urlencoded", query_string=text_query)
        return answer.status_code
    raw = json.dumps(body, ensure_ascii=True, allow_nan=True)
    answer = app.test_client().open(path, method=method, data=raw, content_type="application/json",
                                    headers=headers, query_string=text_query)
    return answer.status_code


QUERY_NAMES = FIELDS + ["page", "per_page", "q", "status", "start_date", "end_date", "next", "month", "from", "to",
                       "group"]


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route_index=st.integers(min_value=0, max_value=10_000),
       who=st.sampled_from(["dispatcher", "staff", "anonymous", "screen"]), path_value=SCALARS, body=BODIES,
       query=st.dictionaries(st.sampled_from(QUERY_NAMES), SCALARS, max_size=4))
def test_no_endpoint_answers_500_to_hostile_input(
        hostile: tuple[Flask, City, dict[str, dict[str, str]]], route_index: int, who: str, path_value: Any,
        body: Any, query: dict[str, Any]) -> None:
    app, city, users = hostile
    routes = _routes(app)
    method, rule = routes[route_index % len(routes)]
    path = _path(rule, path_value, city)
    before = _counts()
    status = _send(app, method, path, body, users[who], query)
    assert status < 500, (method, path, body, query)
    if status >= 400:
        db.session.rollback()
        assert _counts() == before, (method, path, status)  # a refusal writes nothing


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.fixed_dictionaries({"text": HOSTILE_TEXT, "channel": st.sampled_from(["api", "phone", "\x00"])},
                                  optional={"address": HOSTILE_TEXT, "external_id": HOSTILE_TEXT,
                                            "category": HOSTILE_TEXT, "applicant": JSON_VALUES}))
def test_appeal_intake_refuses_or_stores_whole(hostile: tuple[Flask, City, dict[str, dict[str, str]]],
                                                body: dict[str, Any]) -> None:
    app, city, users = hostile
    body = {**body, "building_id": city.sovetskaya_45.id}
    before = _counts()
    status = _send(app, "POST", "/api/v1/appeals", body, users["dispatcher"], {})
    assert status < 500, body
    db.session.rollback()
    after = _counts()
    if status >= 400:
        assert after == before
    else:  # stored whole: the appeal and its process together
        assert after["appeal"] - before["appeal"] in (0, 1)
        assert after["process_instance"] - before["process_instance"] == after["appeal"] - before["appeal"]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(starts=st.one_of(EXTREME_DATES, HOSTILE_TEXT), ends=st.one_of(EXTREME_DATES, HOSTILE_TEXT),
       ids=st.one_of(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=5),
                     st.just(list(range(1, 100_001)))))
def test_outage_registration_refuses_extreme_dates_and_lists(
        hostile: tuple[Flask, City, dict[str, dict[str, str]]], starts: str, ends: str, ids: list[int]) -> None:
    app, city, users = hostile
    body = {"kind": "emergency", "resource": "cold_water", "organization_id": city.water.id, "starts_at": starts,
            "ends_at": ends, "description": "порыв", "building_ids": ids}
    before = _counts()
    status = _send(app, "POST", "/api/v1/outages", body, users["dispatcher"], {})
    assert 400 <= status < 500, body
    db.session.rollback()
    assert _counts() == before
