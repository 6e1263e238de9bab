"""The dispatcher in the loop: a sure post becomes an appeal, an unsure one waits for ЦГДС, the rest is dropped."""
from __future__ import annotations

import hashlib
import logging
from typing import Any

from workflows.accounts.models import User
from workflows.appeals.history import add_event
from workflows.appeals.intake import MAX_TEXT, register_appeal
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.registry.address_index import registry_index
from workflows.social_intake.answers import start_answer_clock
from workflows.social_intake.models import SocialPost
from workflows.social_intake.settings import setting
from workflows.social_intake.understanding import Understanding, understand

log = logging.getLogger(__name__)
REDISPATCH = ("new", "queued", "dropped")  # statuses an edit sends through the dispatcher again


def in_sample(key: str, rate: float) -> bool:
    """A stable pseudo-random choice of `rate` of the keys (the spot-check sample)."""
    digest = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    return digest % 10000 < rate * 10000


def _apply(post: SocialPost, seen: Understanding) -> None:
    analysis = seen.analysis
    post.is_complaint, post.category, post.emergency = analysis.is_complaint, analysis.category, analysis.emergency
    post.address, post.building_id, post.inherited = analysis.address, analysis.building_id, False
    post.confidence, post.rules_agree, post.analysis = analysis.confidence, seen.rules_agree, seen.as_json()


def inherit(post: SocialPost) -> None:
    """A comment that names no address (or category) takes its post's."""
    parent = post.parent
    if post.kind != "comment" or parent is None:
        return
    if post.building_id is None and not post.address and parent.building_id is not None:
        post.building_id, post.address, post.inherited = parent.building_id, parent.address, True
        candidates = (post.analysis or {}).get("buildings") or []
        if not candidates and parent.analysis:
            post.analysis = {**(post.analysis or {}), "buildings": parent.analysis.get("buildings") or []}
    if post.is_complaint and post.category is None and parent.category:
        post.category, post.inherited = parent.category, True


def level_of(post: SocialPost, p_complaint: float) -> str:
    """high: classifier and rules agree and the building is known; a complaint otherwise waits in the queue."""
    if not post.is_complaint:
        return "medium" if p_complaint >= float(setting("SOCIAL_LOW_CONFIDENCE")) else "low"
    sure = post.confidence >= float(setting("SOCIAL_HIGH_CONFIDENCE")) and post.rules_agree
    if sure and post.building_id is not None and not post.inherited and post.deleted_at is None:
        return "high"
    return "medium"


def appeal_payload(post: SocialPost, building_id: int, category: str, emergency: bool) -> dict[str, Any]:
    return {"text": post.text[:MAX_TEXT] or "(пустой пост)", "channel": post.network, "building_id": building_id,
            "category": category, "emergency": emergency, "external_id": post.network_id, "source_url": post.url}


def make_appeal(post: SocialPost, building_id: int, category: str, emergency: bool, actor: User | None) -> int:
    """Register the appeal and link the post to it (in the caller's transaction: the caller commits)."""
    registration = register_appeal(appeal_payload(post, building_id, category, emergency), actor)
    post.appeal_id, post.status = registration.appeal.id, "appealed"
    start_answer_clock(post, category, emergency)
    if registration.created:
        add_event(registration.appeal.id, "social_post", None, {"network": post.network, "url": post.url})
    return int(registration.appeal.id)


def _route(post: SocialPost) -> None:
    if post.level == "high":
        try:
            make_appeal(post, int(post.building_id or 0), str(post.category), post.emergency, None)
            return
        except ValidationFailed as err:  # the building vanished, or another check refused it
            log.warning("social post %s not registered: %s", post.id, err.message)
            post.level = "medium"
    if post.level == "medium":
        post.status = "queued"
    else:
        post.status = "dropped"
        post.spot_check = in_sample(f"{post.network}:{post.network_id}", float(setting("SOCIAL_SPOT_CHECK_RATE")))


def dispatch_post(post_id: int) -> str | None:
    """Analyse a new or edited post and route it; returns its status.  Commits."""
    post = db.session.get(SocialPost, post_id)
    if post is None:
        return None
    seen = understand(post.text, registry_index())
    if post.status not in REDISPATCH:  # appealed or dismissed: keep the decision, refresh what we know
        if post.appeal_id is not None and post.edited_at is not None:
            add_event(post.appeal_id, "social_post_edited", post.text[:MAX_TEXT], {"url": post.url})
        post.analysis = seen.as_json()
        db.session.commit()
        return post.status
    _apply(post, seen)
    inherit(post)
    post.level = level_of(post, seen.p_complaint)
    _route(post)
    db.session.commit()
    return post.status
