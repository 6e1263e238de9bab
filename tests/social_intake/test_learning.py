"""Decisions become labelled examples; `otklik social retrain` rebuilds the model from them and shows figures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City
from tests.fakes.vk_extra import FakeVkWall
from tests.social_intake.conftest import GROUP
from tests.social_intake.helpers import UNSURE, key, poll, post_by_key, wall_source
from tests.web.helpers import login
from web.labels import percent
from workflows.accounts.service import create_user
from workflows.social_intake import moderation
from workflows.social_intake.learning import model_runs
from workflows.social_intake.retrain_status import read_status
from workflows.social_intake.understanding import classifier


@pytest.mark.slow
def test_retrain_uses_stored_corrections_and_records_held_out_figures(app: Flask, city: City, vk: FakeVkWall,
                                                                      tmp_path: Path) -> None:
    posts = [vk.add_post(GROUP, UNSURE), vk.add_post(GROUP, "Во дворе на Советской 45 опять что-то творится")]
    poll(wall_source())
    user = create_user("coord", "coordinator", city.cgds.id, "Correct-horse-1")
    moderation.correct(post_by_key(key(posts[0])).id, user, city.michurinskaya_112.id, "entrance")
    moderation.dismiss(post_by_key(key(posts[1])).id, user)
    shipped = classifier()
    result = app.test_cli_runner().invoke(args=["social", "retrain"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["complaint_f1"] >= 0.90 and figures["category_accuracy"] >= 0.85
    assert figures["building_accuracy"] >= 0.85 and figures["invented_buildings"] == 0
    run = model_runs()[0]
    assert run.stored_examples == 2 and run.shipped_examples >= 300
    assert Path(run.model_path) == tmp_path / "social_model.json" and Path(run.model_path).exists()
    assert classifier() is not shipped  # the instance model is loaded from now on
    client = app.test_client()
    login(client, "coord")
    page = client.get("/social/quality").get_data(as_text=True)
    assert percent(figures["complaint_f1"], 1) in page and "+ 2" in page
    assert read_status()["step"] == "done" and read_status()["run_id"] == run.id
