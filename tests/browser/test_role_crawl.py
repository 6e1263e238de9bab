"""Each role sees only what it may use: a real browser follows every link on every page a role reaches
(menus, cards, tasks) and no link answers 403; every form on those pages posts to a screen the role may use,
and no page shows a role code."""
from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.browser.conftest import LiveApp, sign_in
from tests.web.helpers import PASSWORD
from workflows.accounts import permissions
from workflows.accounts.models import ROLES, User
from workflows.accounts.service import create_user
from workflows.db import db
from workflows.registry.models import Organization

pytestmark = pytest.mark.browser

SKIP = ("/static/", "/uploads/", "/logout", ".xlsx", ".csv", ".ics", ".atom", "/vendor/", "/api/")
MAX_PAGES = 45
ROLE_CODES = tuple(r for r in ROLES if r != "admin")  # "admin" is also a Russian-looking word in URLs


def _org(kind: str) -> int:
    org = db.session.query(Organization).filter_by(kind=kind).first()
    assert org is not None
    return int(org.id)


@pytest.fixture(scope="module")
def people(live: LiveApp) -> dict[str, str]:
    """A login for every role people sign in with."""
    logins = {"dispatcher": "disp", "coordinator": "coord", "org_staff": "uk1"}
    with live.app.app_context():
        for role, login_name, kind in (("org_head", "crawl_head", "uk"), ("official", "crawl_official", "city"),
                                       ("designer", "crawl_designer", "cgds"), ("admin", "crawl_admin", "cgds")):
            if db.session.query(User).filter_by(login=login_name).first() is None:
                create_user(login_name, role, _org(kind), PASSWORD, full_name=f"Проверяющий {len(logins)}")
            logins[role] = login_name
        db.session.remove()
    return logins


def _post_allowed(live: LiveApp, role: str, action: str) -> bool:
    """Whether the screen a form posts to admits the role (its row of the permission table)."""
    adapter = live.app.url_map.bind("127.0.0.1")
    try:
        endpoint, _ = adapter.match(urlsplit(action).path, method="POST")
    except HTTPException:
        return False
    needed = getattr(live.app.view_functions[endpoint], "screen_action", None)
    return needed is None or permissions.may(role, needed)


def _crawl(page: Any, live: LiveApp, role: str) -> tuple[dict[str, int], list[str], list[str]]:
    statuses: dict[str, int] = {}
    bad_forms: list[str] = []
    codes_shown: list[str] = []
    queue = deque([f"{live.url}/inbox"])
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        if url in statuses:
            continue
        response = page.goto(url)
        statuses[url] = response.status if response is not None else 0
        if statuses[url] != 200 or "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        # In the diagram editor a lane's name is the list of role codes the engine reads: diagram data, not a label.
        shown = "" if "/designer/edit/" in url else page.inner_text("body")
        codes_shown += [f"{url}: {code}" for code in ROLE_CODES if f" {code} " in f" {shown} "]
        for action in page.eval_on_selector_all("form[method=post]", "fs => fs.map(f => f.action)"):
            if urlsplit(action).netloc == urlsplit(live.url).netloc and not _post_allowed(live, role, action):
                bad_forms.append(f"{url} → {action}")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if target.startswith(live.url) and not any(part in target for part in SKIP) and target not in statuses:
                queue.append(target)
    return statuses, bad_forms, codes_shown


@pytest.mark.parametrize("role", ["dispatcher", "coordinator", "org_staff", "org_head", "official", "designer",
                                  "admin"])
def test_no_link_a_role_sees_answers_403_and_no_form_posts_where_it_may_not(page: Any, live: LiveApp,
                                                                            people: dict[str, str],
                                                                            role: str) -> None:
    sign_in(page, live, people[role])
    statuses, bad_forms, codes_shown = _crawl(page, live, role)
    assert len(statuses) >= 3, statuses
    forbidden = {url: status for url, status in statuses.items() if status in (403, 500)}
    assert forbidden == {}, forbidden
    assert bad_forms == []
    assert codes_shown == []
