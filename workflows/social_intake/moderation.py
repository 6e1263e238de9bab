"""The ЦГДС moderation queue: confirm, correct or dismiss a post; each decision is kept as a labelled example."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.catalog import CODES
from workflows.db import db
from workflows.errors import Conflict, NotFound, ValidationFailed
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building
from workflows.social_intake.dispatch import make_appeal
from workflows.social_intake.models import SocialExample, SocialPost

OPEN = ("queued", "dropped")  # a spot-check sample of dropped posts may be acted on as well
VIEWS = {"queue": "queued", "spot": "dropped"}


def list_posts(view: str = "queue", limit: int = 100) -> tuple[list[SocialPost], int]:
    status = VIEWS.get(view, "queued")
    where = [SocialPost.status == status]
    if status == "dropped":
        where.append(SocialPost.spot_check.is_(True))
    total = db.session.scalar(select(func.count(SocialPost.id)).where(*where)) or 0
    rows = db.session.scalars(select(SocialPost).where(*where)
                              .order_by(SocialPost.emergency.desc(), SocialPost.id.desc()).limit(limit))
    return list(rows), int(total)


def get_post(post_id: int) -> SocialPost:
    post = db.session.get(SocialPost, post_id)
    if post is None:
        raise NotFound(f"нет поста {post_id}")
    return post


def _open(post_id: int) -> SocialPost:
    post = get_post(post_id)
    if post.status not in OPEN:
        raise Conflict("по этому посту уже принято решение")
    return post


def _example(post: SocialPost, action: str, user: User, is_complaint: bool, category: str | None,
             emergency: bool, building_id: int | None) -> None:
    db.session.add(SocialExample(post_id=post.id, action=action, text=post.text, is_complaint=is_complaint,
                                 category=category if is_complaint else None, emergency=emergency and is_complaint,
                                 building_id=building_id, created_by_id=user.id, created_at=clock.now()))
    post.reviewed_by_id, post.reviewed_at = user.id, clock.now()


def _proposal(post: SocialPost) -> tuple[int | None, str | None]:
    analysis = post.analysis or {}
    buildings, categories = analysis.get("buildings") or [], analysis.get("categories") or []
    building_id = post.building_id or (buildings[0]["building_id"] if buildings else None)
    category = post.category or (categories[0]["code"] if categories else None)
    return building_id, category


def confirm(post_id: int, user: User) -> int:
    """The proposal is right: an appeal for the proposed building and category.  Returns the appeal id."""
    post = _open(post_id)
    building_id, category = _proposal(post)
    if building_id is None or category is None:
        raise ValidationFailed("нечего подтверждать: выберите дом и категорию",
                               {"building_id": "выберите дом" if building_id is None else "",
                                "category": "выберите категорию" if category is None else ""})
    _example(post, "confirm", user, True, category, post.emergency, building_id)
    appeal_id = make_appeal(post, building_id, category, post.emergency, user)
    db.session.commit()
    return appeal_id


def _by_address(address: Any) -> int | None:
    if not isinstance(address, str) or not address.strip():
        return None
    return registry_index().resolve(address[:300]).building_id


def _checked(building_id: Any, category: Any, address: Any) -> tuple[int, str]:
    errors: dict[str, str] = {}
    if building_id in (None, ""):
        building_id = _by_address(address)
    if not isinstance(building_id, int) or isinstance(building_id, bool) or \
            db.session.get(Building, building_id) is None:
        errors["building_id"] = "выберите дом из списка или укажите адрес дома из реестра"
    if category not in CODES:
        errors["category"] = "выберите категорию"
    if errors:
        raise ValidationFailed("исправление не принято", errors)
    return int(building_id), str(category)


def correct(post_id: int, user: User, building_id: Any, category: Any, emergency: bool = False,
            address: Any = None) -> int:
    """A dispatcher's building (or an address naming one) and category: an appeal with them.  Returns its id."""
    post = _open(post_id)
    building, code = _checked(building_id, category, address)
    _example(post, "correct", user, True, code, emergency, building)
    post.building_id, post.category, post.emergency = building, code, emergency
    appeal_id = make_appeal(post, building, code, emergency, user)
    db.session.commit()
    return appeal_id


def dismiss(post_id: int, user: User) -> None:
    """Not a housing complaint: no appeal; kept as a negative example."""
    post = _open(post_id)
    _example(post, "dismiss", user, False, None, False, None)
    post.status = "dismissed"
    db.session.commit()


def stored_examples() -> list[dict[str, Any]]:
    return [row.as_training_row() for row in db.session.scalars(select(SocialExample).order_by(SocialExample.id))]
