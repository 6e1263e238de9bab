"""Posts from the city's VK groups over the last days: the dispatcher takes the sure ones, ЦГДС moderates the rest."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from workflows.db import db
from workflows.demo_life.texts import SOCIAL_POSTS
from workflows.demo_life.timeline import Timeline
from workflows.social_intake.store import Item, store_item


def posts(rng: random.Random, timeline: Timeline, end: datetime, days: int = 3) -> None:
    for n, text in enumerate(SOCIAL_POSTS):
        at = end - timedelta(hours=rng.uniform(1, 24 * days))
        item = Item(network="vk", network_id=f"demo-{n + 1}", text=text, url=f"https://vk.com/wall-1_{n + 1}",
                    posted_at=at)
        timeline.plan(at, lambda item=item: _store(item))  # type: ignore[misc]


def _store(item: Item) -> None:
    store_item(None, item)
    db.session.commit()
