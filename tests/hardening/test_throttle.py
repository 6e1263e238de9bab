"""Item 6 of issue 14: logins, public pages and Open311 are throttled per account and per address."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.appeals.city import City
from tests.conftest import REDIS_URL, make_app, need, redis_answers
from tests.web.helpers import PASSWORD, csrf_token
from tests.web.screen_helpers import ScreenClient
from workflows.accounts.service import create_user


class Clock:
    """time.time() that the test moves: the limiter's windows are measured with it."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _login(app: Flask, login: str, password: str, address: str = "10.0.0.1") -> tuple[int, str | None]:
    browser = ScreenClient(app, app.response_class, use_cookies=True)
    page = browser.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    answer = browser.post("/login", data={"login": login, "password": password, "csrf_token": csrf_token(page)},
                          environ_base={"REMOTE_ADDR": address})
    return answer.status_code, answer.headers.get("Retry-After")


def test_failed_logins_close_the_account_with_growing_waits(
        app: Flask, city: City, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    create_user("disp", "dispatcher", city.cgds.id, PASSWORD)
    for attempt in range(5):
        assert _login(app, "disp", "wrong", f"10.0.0.{attempt}")[0] == 200
    status, retry_after = _login(app, "disp", PASSWORD, "10.0.9.9")  # the right password, another address
    assert status == 429 and retry_after is not None and 0 < int(retry_after) <= 60
    clock.now += 61
    assert _login(app, "disp", PASSWORD)[0] == 302  # the first wait is over: a correct login passes
    for _ in range(5):
        assert _login(app, "disp", "wrong")[0] == 200
    assert _login(app, "disp", PASSWORD)[0] == 429
    clock.now += 61
    status, retry_after = _login(app, "disp", PASSWORD)
    assert status == 429 and retry_after is not None  # the second wait is longer: a quarter of an hour
    clock.now += 15 * 60
    assert _login(app, "disp", PASSWORD)[0] == 302
    assert _login(app, "other", "wrong")[0] == 200  # other accounts are not affected


def test_logins_from_one_address_are_limited(app: Flask, city: City) -> None:
    app.config["RATELIMIT_LOGIN_IP"] = "3 per minute"
    for attempt in range(3):
        assert _login(app, f"user{attempt}", "wrong", "10.1.1.1")[0] == 200
    status, retry_after = _login(app, "user9", "wrong", "10.1.1.1")
    assert status == 429 and retry_after
    assert _login(app, "user9", "wrong", "10.1.1.2")[0] == 200


def test_public_pages_and_open311_are_limited_per_address(app: Flask, client: FlaskClient, city: City) -> None:
    app.config["RATELIMIT_PUBLIC"] = "5 per minute"
    app.config["RATELIMIT_OPEN311"] = "5 per minute"
    for path in ("/outages", f"/api/v1/public/outages?building_id={city.sovetskaya_45.id}",
                 "/open311/v2/services.json"):
        address = {"REMOTE_ADDR": f"10.2.0.{len(path)}"}
        assert all(client.get(path, environ_base=address).status_code == 200 for _ in range(5)), path
        refused = client.get(path, environ_base=address)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0, path
        assert client.get(path, environ_base={"REMOTE_ADDR": "10.3.0.1"}).status_code == 200
    answer = client.get("/open311/v2/services.json",
                        environ_base={"REMOTE_ADDR": f"10.2.0.{len('/open311/v2/services.json')}"})
    assert answer.status_code == 429 and answer.get_json()[0]["code"] == 429  # in Open311's error format


@pytest.mark.redis
def test_with_a_redis_queue_every_process_counts_together(tmp_path: Path) -> None:
    need(redis_answers(), "Redis")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first = make_app(tmp_path / "a", QUEUE_URL=REDIS_URL, RATELIMIT_PUBLIC="3 per minute")
    second = make_app(tmp_path / "b", QUEUE_URL=REDIS_URL, RATELIMIT_PUBLIC="3 per minute")
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    address = {"REMOTE_ADDR": "10.4.0.1"}
    with first.app_context():
        assert [first.test_client().get("/outages", environ_base=address).status_code for _ in range(2)] == [200, 200]
    with second.app_context():
        codes = [second.test_client().get("/outages", environ_base=address).status_code for _ in range(2)]
    assert codes == [200, 429]
