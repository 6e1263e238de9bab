from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.appeals.city import City, build_city
from tests.fakes.vk_extra import FakeVkWall

GROUP = -1001


@pytest.fixture
def city(app: Flask, tmp_path: Path) -> City:
    app.config["SOCIAL_MODEL_FILE"] = str(tmp_path / "social_model.json")  # never the developer's instance/ model
    return build_city()


@pytest.fixture
def vk(app: Flask) -> Iterator[FakeVkWall]:
    with FakeVkWall() as fake:
        app.config.update(VK_TOKEN=fake.token, VK_API_URL=fake.url, VK_TIMEOUT=2)
        yield fake
