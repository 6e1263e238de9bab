"""Reading VK: a group wall with its comments (wall.get, wall.getComments) and keyword search (newsfeed.search)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from connectors.vk_api import DEFAULT_API_URL, VkApi
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.social_intake.models import SocialPost, SocialSource
from workflows.social_intake.settings import setting
from workflows.social_intake.store import Item, mark_missing, store_item

COMMENTS_PAGE = 100
SEARCH_PAGE = 100


def vk_api() -> VkApi:
    token = current_app.config.get("VK_READ_TOKEN") or current_app.config.get("VK_TOKEN")
    if not token:
        raise ValidationFailed("не задан токен VK (OTKLIK_VK_TOKEN)")
    url = str(current_app.config.get("VK_API_URL") or DEFAULT_API_URL)
    return VkApi(str(token), url, float(current_app.config.get("VK_TIMEOUT") or 10))


def post_key(owner_id: int, post_id: int) -> str:
    return f"wall{owner_id}_{post_id}"


def comment_key(owner_id: int, post_id: int, comment_id: int) -> str:
    return f"wall{owner_id}_{post_id}_r{comment_id}"


def _when(raw: Any) -> datetime | None:
    return datetime.fromtimestamp(int(raw), UTC) if isinstance(raw, int | float) and raw > 0 else None


def post_item(post: dict[str, Any]) -> Item:
    owner, number = int(post.get("owner_id") or 0), int(post.get("id") or 0)
    key = post_key(owner, number)
    return Item("vk", key, str(post.get("text") or ""), f"https://vk.com/{key}", _when(post.get("date")),
                deleted=bool(post.get("is_deleted") or post.get("deleted")))


def comment_item(owner: int, post_id: int, comment: dict[str, Any]) -> Item:
    number = int(comment.get("id") or 0)
    return Item("vk", comment_key(owner, post_id, number), str(comment.get("text") or ""),
                f"https://vk.com/wall{owner}_{post_id}?reply={number}", _when(comment.get("date")), kind="comment",
                parent_network_id=post_key(owner, post_id), deleted=bool(comment.get("deleted")))


def _read_wall(api: VkApi, owner: int, newest_seen: int) -> tuple[list[dict[str, Any]], bool]:
    """Newest posts back to the cursor (at most a few pages); True when the whole wall was read."""
    window, pages = int(setting("SOCIAL_VK_WINDOW")), int(setting("SOCIAL_VK_MAX_PAGES"))
    posts: list[dict[str, Any]] = []
    for page in range(pages):
        answer = api.wall_get(owner, count=window, offset=page * window)
        items = [p for p in answer.get("items") or [] if isinstance(p, dict)]
        posts += items
        complete = (page + 1) * window >= int(answer.get("count") or 0)
        ids = [int(p.get("id") or 0) for p in items if not p.get("is_pinned")]
        if complete or not ids or min(ids) <= newest_seen:
            return posts, complete
    return posts, False


def _stored_ids(source: SocialSource, kind: str, parent_key: str | None = None) -> list[str]:
    query = select(SocialPost.network_id).where(SocialPost.source_id == source.id, SocialPost.kind == kind,
                                                SocialPost.deleted_at.is_(None))
    if parent_key is not None:
        query = query.where(SocialPost.network_id.startswith(parent_key + "_r"))
    return list(db.session.scalars(query))


def _wall_deletions(source: SocialSource, posts: list[dict[str, Any]], complete: bool) -> int:
    oldest = min((int(p.get("id") or 0) for p in posts if not p.get("is_pinned")), default=0)
    seen = {post_item(p).network_id for p in posts if not p.get("is_deleted")}
    candidates = [key for key in _stored_ids(source, "post")
                  if complete or int(key.rsplit("_", 1)[1]) >= oldest]
    return mark_missing(source, "post", seen, candidates)


def _comments(api: VkApi, source: SocialSource, owner: int, post: dict[str, Any]) -> dict[str, int]:
    counts = {"comments": 0, "deleted": 0}
    post_id = int(post.get("id") or 0)
    answer = api.wall_get_comments(owner, post_id, count=COMMENTS_PAGE)
    items = [c for c in answer.get("items") or [] if isinstance(c, dict)]
    for comment in items:
        _, outcome = store_item(source, comment_item(owner, post_id, comment))
        counts["comments"] += outcome in ("new", "edited")
        counts["deleted"] += outcome == "deleted"
    if int(answer.get("count") or 0) <= COMMENTS_PAGE:
        seen = [comment_item(owner, post_id, c).network_id for c in items if not c.get("deleted")]
        counts["deleted"] += mark_missing(source, "comment", seen, _stored_ids(source, "comment",
                                                                              post_key(owner, post_id)))
    return counts


def _has_comments(source: SocialSource, owner: int, post: dict[str, Any]) -> bool:
    if int((post.get("comments") or {}).get("count") or 0):
        return True
    return bool(_stored_ids(source, "comment", post_key(owner, int(post.get("id") or 0))))


def poll_wall(api: VkApi, source: SocialSource) -> dict[str, int]:
    """Read the wall back to the cursor, store posts and comments, notice edits and deletions."""
    try:
        owner = int(source.target)
    except ValueError as err:
        raise ValidationFailed(f"owner_id VK должен быть числом: {source.target!r}") from err
    cursor = dict(source.cursor or {})
    posts, complete = _read_wall(api, owner, int(cursor.get("newest_id") or 0))
    counts = {"posts": 0, "comments": 0, "deleted": 0}
    for post in posts:
        _, outcome = store_item(source, post_item(post))
        counts["posts"] += outcome in ("new", "edited")
        counts["deleted"] += outcome == "deleted"
    counts["deleted"] += _wall_deletions(source, posts, complete)
    for post in posts[: int(setting("SOCIAL_COMMENT_POSTS"))]:
        if _has_comments(source, owner, post):
            found = _comments(api, source, owner, post)
            counts["comments"] += found["comments"]
            counts["deleted"] += found["deleted"]
    newest = max([int(p.get("id") or 0) for p in posts] + [int(cursor.get("newest_id") or 0)])
    source.cursor = {**cursor, "newest_id": newest}
    return counts


def poll_search(api: VkApi, source: SocialSource) -> dict[str, int]:
    """newsfeed.search for the source's words; the cursor is the newest post time seen."""
    cursor = dict(source.cursor or {})
    newest_seen = int(cursor.get("newest_date") or 0)
    counts = {"posts": 0, "comments": 0, "deleted": 0}
    start_from: str | None = None
    newest = newest_seen
    for _ in range(int(setting("SOCIAL_VK_MAX_PAGES"))):
        answer = api.newsfeed_search(source.target, count=SEARCH_PAGE, start_from=start_from)
        items = [p for p in answer.get("items") or [] if isinstance(p, dict)]
        for post in items:
            _, outcome = store_item(source, post_item(post))
            counts["posts"] += outcome in ("new", "edited")
            counts["deleted"] += outcome == "deleted"
            newest = max(newest, int(post.get("date") or 0))
        start_from = answer.get("next_from")
        if not start_from or not items or min(int(p.get("date") or 0) for p in items) <= newest_seen:
            break
    source.cursor = {**cursor, "newest_date": newest}
    return counts
