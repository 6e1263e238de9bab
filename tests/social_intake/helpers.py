"""Sources and posts for social intake tests."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.social_intake.conftest import GROUP
from workflows.db import db
from workflows.social_intake.models import SocialPost, SocialSource
from workflows.social_intake.polling import poll_source
from workflows.social_intake.sources import create_source

SURE = "Третий день нет горячей воды, Советская 45! Сколько можно терпеть"
UNSURE = "на площадке третьего этажа у нас на Мичуринской 112 опять нет освещения"
ADVERT = "Продам гараж недорого, звоните"


def wall_source(interval: int = 10, target: int = GROUP) -> SocialSource:
    return create_source({"kind": "vk_wall", "target": str(target), "title": "Город Тамбов",
                          "interval_minutes": interval})


def poll(source: SocialSource) -> dict[str, Any]:
    return poll_source(source.id)


def post_by_key(network_id: str) -> SocialPost:
    db.session.expire_all()
    post = db.session.scalar(select(SocialPost).where(SocialPost.network_id == network_id))
    assert post is not None, network_id
    return post


def key(post: dict[str, Any]) -> str:
    return f"wall{post['owner_id']}_{post['id']}"
