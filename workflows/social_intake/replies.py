"""A public reply for the post once its appeal is resolved: building-level facts only, never personal data."""
from __future__ import annotations

from sqlalchemy import select

from connectors.base import DeliveryError
from workflows import citytime, clock
from workflows.accounts.models import User
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.errors import Conflict, Forbidden
from workflows.social_intake.answers import record_answer
from workflows.social_intake.models import SocialPost
from workflows.social_intake.moderation import get_post
from workflows.social_intake.vk_poll import vk_api

DONE = ("resolved", "closed")
RESOLVED = "Обращение по дому {address} решено: {category} — работы выполнены {date}. Спасибо, что сообщили!"
CANNOT = ("Обращение по дому {address} ({category}) рассмотрено {date}: устранить сейчас невозможно, "
          "работы запланированы. Спасибо, что сообщили!")


def _cannot_resolve(appeal_id: int) -> bool:
    kinds = db.session.scalars(select(AppealEvent.kind).where(AppealEvent.appeal_id == appeal_id))
    return "cannot_resolve" in set(kinds)


def suggested_reply(post: SocialPost) -> str | None:
    """The reply text once the post's appeal is resolved (None before): address, category, date; nothing else."""
    appeal = db.session.get(Appeal, post.appeal_id) if post.appeal_id else None
    if appeal is None or appeal.status not in DONE or appeal.resolved_at is None or appeal.building is None:
        return None
    template = CANNOT if _cannot_resolve(appeal.id) else RESOLVED
    category = BY_CODE[appeal.category].name.lower() if appeal.category in BY_CODE else "заявка"
    return template.format(address=appeal.building.address, category=category,
                           date=citytime.day_text(appeal.resolved_at))


def _vk_target(post: SocialPost) -> dict[str, int]:
    """owner_id, post_id and reply_to_comment of a VK post or comment key ("wall-1_5" / "wall-1_5_r9")."""
    owner, _, rest = post.network_id.removeprefix("wall").partition("_")
    number, _, comment = rest.partition("_r")
    target = {"owner_id": int(owner), "post_id": int(number)}
    if comment:
        target["reply_to_comment"] = int(comment)
    return target


def publish_vk(post: SocialPost, text: str, guid: str) -> str:
    """Publish a comment under the post through VK; the guid makes VK drop a repeat.  The comment id."""
    api = vk_api()
    try:
        answer = api.call("wall.createComment", {**_vk_target(post), "message": text, "guid": guid})
    except DeliveryError as err:
        raise Conflict(f"VK не принял ответ: {err.reason}") from err
    finally:
        api.close()
    return str(answer.get("comment_id") if isinstance(answer, dict) else answer)


def can_publish(post: SocialPost) -> bool:
    """Whether answers to this post go out through the VK API (an admin enabled it for the source)."""
    return post.network == "vk" and post.source is not None and post.source.reply_enabled and post.deleted_at is None


def post_reply(post_id: int, user: User) -> str:
    """Publish the suggested reply under the post through VK (wall.createComment).  Commits."""
    post = get_post(post_id)
    if post.network != "vk" or post.source is None or not post.source.reply_enabled:
        raise Forbidden("ответы в этот источник не публикуются: включите их на странице источников")
    if post.reply_posted_at is not None:
        raise Conflict("ответ уже опубликован")
    if post.deleted_at is not None:
        raise Conflict("пост удалён автором")
    text = suggested_reply(post)
    if text is None:
        raise Conflict("обращение ещё не решено")
    comment_id = publish_vk(post, text, f"otklik-{post.id}")
    post.reply_text, post.reply_posted_at, post.reply_external_id = text, clock.now(), str(comment_id)
    if post.appeal_id is not None:
        add_event(post.appeal_id, "social_reply_posted", text, {"url": post.url}, user.id)
    record_answer(post, "final", text, user.id)
    db.session.commit()
    return text
