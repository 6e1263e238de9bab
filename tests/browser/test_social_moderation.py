"""Moderating social posts in a real browser: the queue shows new posts by itself, the correction form starts
from the classifier's suggestion, and a retraining run by the worker shows its progress on the quality page."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from workflows.db import db
from workflows.social_intake.models import SocialPost
from workflows.social_intake.retrain_status import write_status
from workflows.social_intake.sources import create_source

pytestmark = pytest.mark.browser


def _post(live: LiveApp, n: int, text: str) -> int:
    with live.app.app_context():
        source = create_source({"kind": "vk_wall", "target": f"-200{n}", "title": "Город Тамбов",
                                "interval_minutes": 10})
        post = SocialPost(source_id=source.id, network="vk", network_id=f"wall-200{n}_1", status="queued", text=text,
                          url=f"https://vk.com/wall-200{n}_1", is_complaint=True, confidence=0.54, rules_agree=False,
                          analysis={"p_complaint": 0.71, "spans": [],
                                    "categories": [{"code": "electricity", "score": 0.54}],
                                    "buildings": [{"building_id": live.buildings["sovetskaya_47"],
                                                   "address": "ул. Советская, д. 47", "score": 0.93}]})
        db.session.add(post)
        db.session.commit()
        post_id = int(post.id)
        db.session.remove()
    return post_id


def test_the_queue_shows_a_new_post_without_a_reload_and_the_correction_starts_from_the_suggestion(
        page: Any, live: LiveApp) -> None:
    from playwright.sync_api import expect

    first = _post(live, 1, "В подъезде на Советской 47 не горит свет третий день")
    sign_in(page, live, "coord")
    page.goto(f"{live.url}/social/queue")
    expect(page.locator(f"#social-queue-rows tr[data-post='{first}']")).to_contain_text("средняя (54 %)")
    second = _post(live, 2, "Советская 47: в подвале снова темно, лампы перегорели")  # arrives while the page is open
    expect(page.locator(f"#social-queue-rows tr[data-post='{second}']")).to_be_visible(timeout=20_000)
    expect(page.locator("#social-queue-total")).to_have_text("2")
    page.locator(f"#social-queue-rows tr[data-post='{second}'] a").click()
    expect(page.locator("#f-building")).to_have_value(str(live.buildings["sovetskaya_47"]))
    expect(page.locator("#f-category")).to_have_value("electricity")  # not the first category in the list
    expect(page.locator("body")).not_to_contain_text(re.compile(r"\b0[.,]\d\d\b"))


def test_the_quality_page_follows_a_retraining_run_by_the_worker(page: Any, live: LiveApp, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    live.app.config["SOCIAL_MODEL_FILE"] = str(tmp_path / "social_model.json")
    with live.app.app_context():
        write_status("queued")
        write_status("training")  # the worker is training now
    sign_in(page, live, "coord")
    page.goto(f"{live.url}/social/quality")
    expect(page.locator("#retrain-progress")).to_be_visible()
    expect(page.locator("#retrain-progress")).to_have_attribute("value", "10")
    expect(page.locator("#retrain-state")).to_contain_text("обучаем модель")
    expect(page.locator("#retrain-start")).to_be_disabled()
    with live.app.app_context():
        write_status("evaluating")
    expect(page.locator("#retrain-state")).to_contain_text("проверяем на отложенной выборке")
    with live.app.app_context():
        write_status("done")
    expect(page.locator("#retrain-state")).to_contain_text("Последнее переобучение закончено")  # reloaded by itself
    expect(page.locator("#retrain-start")).to_be_enabled()
