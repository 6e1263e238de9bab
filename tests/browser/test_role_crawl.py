"""Each role sees only what it may use: a real browser follows every link on every page a role reaches
(menus, cards, tasks) and no link answers 403; every form on those pages posts to a screen the role may use,
and no page shows a role code."""
from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
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
from workflows.outages.service import register_outage
from workflows.registry.models import Organization
from workflows.runtime.models import ProcessVersion
from workflows.services import services_of
from workflows.social_intake.models import SocialPost
from workflows.social_intake.sources import create_source

pytestmark = pytest.mark.browser

SKIP = ("/static/", "/uploads/", "/logout", ".xlsx", ".csv", ".ics", ".atom", "/vendor/", "/api/")
MAX_PAGES = 45
# Latin-script words a person may see: names of channels, formats and a browser.
ALLOWED_LATIN = frozenset({"Telegram", "MAX", "VK", "Excel", "CSV", "Open311", "API", "JSON", "XML", "BPMN", "DMN",
                           "Atom", "iCalendar", "SMS", "e-mail", "Firefox"})
URLISH = re.compile(r"\S+@\S+|https?://\S+|\B/[\w\-./<>?=&]+|\b[\w\-]+\.(?:bpmn|dmn|csv|xlsx)\b|<[^>]*>"
                    r"|\b\d{4}-\d\d-\d\dT[\d:.+]+")  # and ISO timestamps, numbers rather than words
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
ROLE_CODES = tuple(r for r in ROLES if r != "admin")  # "admin" is also a Russian-looking word in URLs


# The text a person reads on the page: visible text and the tooltips, placeholders and labels of visible elements,
# without what people typed into diagrams, tables and code fields (element names, FEEL expressions, JSON): that is
# process data, not the application's words.  The bpmn.io mark stays as its licence requires.
VISIBLE_TEXT = """body => {
  const skip = 'svg, code, pre, textarea, script, style, [contenteditable], .input-label, .output-label, ' +
      '.bjs-powered-by, .dmn-js-powered-by';
  const words = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) { continue; }
    words.push(node.textContent);
  }
  for (const element of body.querySelectorAll('[title], [placeholder], [aria-label], option')) {
    if (element.closest(skip) || (element.tagName !== 'OPTION' && !element.checkVisibility())) { continue; }
    words.push(element.getAttribute('title') || '', element.getAttribute('placeholder') || '',
               element.getAttribute('aria-label') || '');
  }
  words.push(document.title);
  return words.join(' \\n ');
}"""
# Keys on the keyboard are labelled in Latin letters.
KEYS = frozenset({"Alt", "Ctrl", "Shift", "Enter", "Esc", "Tab"})


def latin_words(text: str) -> list[str]:
    """Latin-script words outside the allow-list, once addresses, e-mails, file names and key names are taken out."""
    return [word for word in LATIN.findall(URLISH.sub(" ", text))
            if word not in ALLOWED_LATIN and word not in KEYS and len(word) > 1]


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
        logins["known"] = " ".join(_seed_known(live))
        db.session.remove()
    return logins


def _seed_known(live: LiveApp) -> list[str]:
    """Pages no link may lead to within the crawl's budget: a post waiting for moderation, an outage with a violation
    (and the coordinator's task to review it), a decision table."""
    source = create_source({"kind": "vk_wall", "target": "-1002", "title": "Город Тамбов", "interval_minutes": 10})
    post = SocialPost(source_id=source.id, network="vk", network_id="wall-1002_1", status="queued",
                      text="На Советской 45 в подъезде темно, лампочки нет неделю", url="https://vk.com/wall-1002_1",
                      is_complaint=True, confidence=0.54, rules_agree=False,
                      analysis={"p_complaint": 0.71, "spans": [[3, 14]],
                                "categories": [{"code": "electricity", "score": 0.54}],
                                "buildings": [{"building_id": live.buildings["sovetskaya_45"],
                                               "address": "ул. Советская, д. 45", "score": 0.93}]})
    db.session.add(post)
    db.session.commit()
    water = db.session.query(Organization).filter_by(name="ООО «РКС-Тамбов»").one()
    start = services_of(live.app).clock.now()
    outage = register_outage({"kind": "emergency", "resource": "cold_water", "organization_id": water.id,
                              "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=5)).isoformat(),
                              "description": "порыв на магистрали", "building_ids": [live.buildings["sovetskaya_45"]]},
                             None)  # 5 h of cold water at once: over the 4 h limit, a violation to review
    table = db.session.query(ProcessVersion).filter_by(kind="dmn", key="routing").order_by(
        ProcessVersion.id.desc()).first()
    known = [f"/social/posts/{post.id}", "/social/quality", f"/staff/outages/{outage.id}"]
    return known + ([f"/designer/edit/{table.id}"] if table is not None else [])


def _post_allowed(live: LiveApp, role: str, action: str) -> bool:
    """Whether the screen a form posts to admits the role (its row of the permission table)."""
    adapter = live.app.url_map.bind("127.0.0.1")
    try:
        endpoint, _ = adapter.match(urlsplit(action).path, method="POST")
    except HTTPException:
        return False
    needed = getattr(live.app.view_functions[endpoint], "screen_action", None)
    return needed is None or permissions.may(role, needed)


def _may_open(live: LiveApp, role: str, path: str) -> bool:
    adapter = live.app.url_map.bind("127.0.0.1")
    endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
    needed = getattr(live.app.view_functions[endpoint], "screen_action", None)
    return needed is None or permissions.may(role, needed)


def _shown_latin(page: Any, url: str) -> list[str]:
    if "/designer/edit/" in url or "/designer/new" in url:
        page.wait_for_selector("#editor[data-ready='1']")  # the modeler draws its palette and table after loading
    return [f"{url}: {word}" for word in latin_words(page.eval_on_selector("body", VISIBLE_TEXT))]


def _crawl(page: Any, live: LiveApp, role: str, known: list[str]) -> tuple[dict[str, int], list[str], list[str],
                                                                          list[str]]:
    statuses: dict[str, int] = {}
    bad_forms: list[str] = []
    codes_shown: list[str] = []
    latin: list[str] = []
    queue = deque([f"{live.url}/inbox", *(f"{live.url}{path}" for path in known if _may_open(live, role, path))])
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
        latin += _shown_latin(page, url)
        for action in page.eval_on_selector_all("form[method=post]", "fs => fs.map(f => f.action)"):
            if urlsplit(action).netloc == urlsplit(live.url).netloc and not _post_allowed(live, role, action):
                bad_forms.append(f"{url} → {action}")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if target.startswith(live.url) and not any(part in target for part in SKIP) and target not in statuses:
                queue.append(target)
    return statuses, bad_forms, codes_shown, latin


@pytest.mark.parametrize("role", ["dispatcher", "coordinator", "org_staff", "org_head", "official", "designer",
                                  "admin"])
def test_no_link_a_role_sees_answers_403_and_no_form_posts_where_it_may_not(page: Any, live: LiveApp,
                                                                            people: dict[str, str],
                                                                            role: str) -> None:
    sign_in(page, live, people[role])
    statuses, bad_forms, codes_shown, latin = _crawl(page, live, role, people["known"].split())
    latin += _error_pages(page, live, role, statuses)
    print("LATIN", role, sorted(set(latin)))
    assert len(statuses) >= 3, statuses
    forbidden = {url: status for url, status in statuses.items() if status in (403, 500)}
    assert forbidden == {}, forbidden
    assert bad_forms == []
    assert codes_shown == []
    assert latin == []


def _error_pages(page: Any, live: LiveApp, role: str, statuses: dict[str, int]) -> list[str]:
    """The pages a person meets when something goes wrong: 404, 403, a task form sent with errors."""
    latin: list[str] = []
    missing = page.goto(f"{live.url}/no-such-page")
    assert missing is not None and missing.status == 404
    latin += _shown_latin(page, "404")
    if role != "admin":
        refused = page.goto(f"{live.url}/admin/failures")
        assert refused is not None and refused.status == 403
        latin += _shown_latin(page, "403")
    task = next((url for url in statuses if "/tasks/" in url and statuses[url] == 200), None)
    if task is not None:
        page.goto(task)
        if page.locator("#task-form button[type=submit]").count():
            page.locator("#task-form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert page.locator(".field-error").count() >= 1  # sent empty: the required fields are named
            latin += _shown_latin(page, f"{task} (ошибки формы)")
    return latin
