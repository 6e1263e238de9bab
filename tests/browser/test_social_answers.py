"""The coordinator's public-answer screens in a real headless Chromium (screenshots to docs/ with
OTKLIK_SCREENSHOTS=1): the answers board, overdue first, and the post card with its answer form."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of
from workflows.social_intake.answers import record_answer, sweep_answers
from workflows.social_intake.dispatch import make_appeal
from workflows.social_intake.models import SocialPost
from workflows.social_intake.sources import create_source

pytestmark = pytest.mark.browser

POSTS = [  # text, building, category, emergency, hours before now the post was taken into work
    ("Третий день нет горячей воды, Советская 45! Управляйка трубку не берёт", "sovetskaya_45", "hot_water", True, 5),
    ("Во дворе на Советской 47 огромная яма с водой, не пройти к подъезду", "sovetskaya_47", "yard", False, 3),
    ("Мичуринская 112 — лифт стоит с пятницы, на девятом этаже пожилые", "michurinskaya_112", "elevator", False, 1),
]

ADDRESSES = {"sovetskaya_45": "ул. Советская, д. 45", "sovetskaya_47": "ул. Советская, д. 47",
             "michurinskaya_112": "ул. Мичуринская, д. 112"}


def _posts(live: LiveApp) -> list[int]:
    clock: FakeClock = services_of(live.app).clock
    start = clock.now() + timedelta(hours=4)  # 16:00 in Tambov
    ids = []
    with live.app.app_context():
        source = create_source({"kind": "vk_wall", "target": "-1001", "title": "Город Тамбов", "interval_minutes": 10})
        for n, (text, building, category, emergency, hours) in enumerate(POSTS, start=1):
            clock.set(start - timedelta(hours=hours))
            post = SocialPost(source_id=source.id, network="vk", network_id=f"wall-1001_{n}", text=text,
                              url=f"https://vk.com/wall-1001_{n}", is_complaint=True, category=category,
                              emergency=emergency, building_id=live.buildings[building], status="queued",
                              address=ADDRESSES[building], confidence=0.82, rules_agree=True,
                              analysis={"p_complaint": 0.97, "spans": [], "categories": [{"code": category,
                                                                                          "score": 0.91}],
                                        "buildings": [{"building_id": live.buildings[building],
                                                       "address": ADDRESSES[building], "score": 1.0}]})
            db.session.add(post)
            db.session.flush()
            make_appeal(post, live.buildings[building], category, emergency, None)
            if n == 2:
                clock.set(start - timedelta(hours=2))
                record_answer(post, "interim", "Обращение принято в работу", None)
            db.session.commit()
            ids.append(post.id)
        clock.set(start)
        sweep_answers()
        db.session.remove()
    return ids


def test_the_coordinator_sees_overdue_answers_first_and_answers_from_the_card(page: Any, live: LiveApp) -> None:
    ids = _posts(live)
    sign_in(page, live, "coord")
    page.goto(f"{live.url}/social/answers")
    states = page.eval_on_selector_all("#social-answers tbody tr", "rows => rows.map(r => r.dataset.state)")
    assert states == ["overdue", "waiting", "interim"]
    assert "эскалировано" in page.inner_text("#social-answers tbody tr:first-child")
    page.screenshot(path=str(live.shots / "social-answers.png"), full_page=True)
    page.goto(f"{live.url}/social/posts/{ids[0]}")
    assert "Обращение принято в работу, номер" in page.input_value("#f-answer-text")
    page.screenshot(path=str(live.shots / "social-answer-card.png"), full_page=True)
    page.click("#public-answer button[type=submit]")
    assert "Промежуточный ответ отмечен как опубликованный" in page.inner_text("body")
    assert "с опозданием" in page.inner_text("#public-answer")
