"""A new emergency in the inbox is announced on screen when the inbox refreshes itself."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from tests.registering import register_appeal
from workflows.db import db

pytestmark = pytest.mark.browser


def test_a_new_emergency_is_announced_and_shown_first(page: Any, live: LiveApp) -> None:
    sign_in(page, live, "disp")
    assert page.is_hidden("#inbox-alert")
    with live.app.app_context():
        register_appeal({"channel": "phone", "text": "Запах газа у дома, которого нет в реестре", "category": "gas",
                         "emergency": True, "address": "Новый переулок 1", "unlisted_address": True}, None)
        db.session.remove()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the 15-second refresh, now
    page.wait_for_selector("#inbox-alert:not([hidden])")
    assert "Новая срочная задача: 1" in page.inner_text("#inbox-alert")
    first = page.locator("#inbox-rows tr").first
    assert first.get_attribute("data-urgent") == "1" and "fresh" in (first.get_attribute("class") or "")
