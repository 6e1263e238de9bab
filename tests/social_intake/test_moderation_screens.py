"""The moderation screens start a correction from the classifier's suggestion, say how sure it is in percent,
refresh the queue from a JSON fragment and show where a retraining queued for the worker is."""
from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import UNSURE, key, poll, post_by_key, wall_source
from tests.web.helpers import PASSWORD, csrf_token, login
from workflows.accounts.service import create_user
from workflows.services import services_of
from workflows.social_intake import learning
from workflows.social_intake.retrain_status import read_status, write_status


class RecordingScheduler:
    """Stands for the huey worker: remembers what was queued instead of running it."""

    def __init__(self) -> None:
        self.queued: list[str] = []

    def enqueue(self, name: str, *args: Any) -> None:
        self.queued.append(name)


def _selected(page: str, select_id: str) -> str | None:
    block = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    assert block, select_id
    chosen = re.search(r'<option value="([^"]*)"\s+selected', block.group(0))
    return chosen.group(1) if chosen else None


def test_the_correction_form_starts_from_the_suggestion_and_confidence_is_a_percent(
        app: Flask, city: City, vk: FakeVkWall) -> None:
    post = vk.add_post(GROUP, UNSURE)  # «…на Мичуринской 112 опять нет освещения»: unsure, so it waits in the queue
    poll(wall_source())
    stored = post_by_key(key(post))
    assert stored.status == "queued"
    create_user("coord1", "coordinator", city.cgds.id, PASSWORD)
    client = app.test_client()
    login(client, "coord1")
    card = client.get(f"/social/posts/{stored.id}").get_data(as_text=True)
    assert _selected(card, "f-building") == str(city.michurinskaya_112.id)
    assert _selected(card, "f-category") == "electricity"
    assert re.search(r"\b0[.,]\d\d\b", card) is None  # no bare probabilities such as «0.54»
    assert re.search(r"уверенность (низкая|средняя|высокая) \(\d+ %\)", card)
    queue = client.get("/social/queue").get_data(as_text=True)
    assert "social-queue.js" in queue and re.search(r"<td>(низкая|средняя|высокая) \(\d+ %\)</td>", queue)
    rows = client.get("/social/queue/rows").get_json()
    assert rows["total"] == 1 and f"/social/posts/{stored.id}" in rows["html"] and "Подтвердить" in rows["html"]


def test_retraining_is_queued_for_the_worker_and_its_progress_is_readable(app: Flask, city: City,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = RecordingScheduler()
    monkeypatch.setattr(services_of(app), "scheduler", scheduler)
    create_user("coord1", "coordinator", city.cgds.id, PASSWORD)
    client = app.test_client()
    login(client, "coord1")
    page = client.get("/social/quality").get_data(as_text=True)
    assert "Переобучение ещё не запускалось" in page and "docs/" not in page
    answer = client.post("/social/quality", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 302 and scheduler.queued == ["social_retrain"]  # the request does not train
    status = client.get("/social/quality/status").get_json()
    assert (status["step"], status["running"], status["percent"]) == ("queued", True, 0)
    page = client.get("/social/quality").get_data(as_text=True)
    assert 'data-running="1"' in page and "social-quality.js" in page and "Идёт переобучение: в очереди" in page
    again = client.post("/social/quality", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Переобучение уже идёт" in again.get_data(as_text=True) and scheduler.queued == ["social_retrain"]

    steps: list[str] = []
    monkeypatch.setattr(learning, "write_status", lambda step, **extra: (steps.append(step), write_status(step)))

    def broken(_examples: Any) -> Any:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(learning, "train", broken)
    with pytest.raises(RuntimeError):
        learning.retrain()
    assert steps == ["reading", "training", "failed"]
    assert read_status()["step"] == "failed" and read_status()["running"] is False
    assert "не удалось" in client.get("/social/quality").get_data(as_text=True)
