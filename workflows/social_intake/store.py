"""Storing posts and comments once by (network, network_id); noticing edits and deletions.

Nothing here commits: the caller's transaction does, and the posts that are new or changed are
handed to the dispatch task after that commit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflows import clock
from workflows.appeals.history import add_event
from workflows.db import after_commit, db
from workflows.services import services
from workflows.social_intake.models import SocialPost, SocialRevision, SocialSource

MAX_TEXT = 20000
NEW, EDITED, SAME, DELETED = "new", "edited", "same", "deleted"


@dataclass(frozen=True)
class Item:
    """A post or comment as a network shows it."""

    network: str
    network_id: str
    text: str
    url: str | None = None
    posted_at: datetime | None = None
    kind: str = "post"
    parent_network_id: str | None = None
    deleted: bool = False


def find_post(network: str, network_id: str) -> SocialPost | None:
    return db.session.scalar(select(SocialPost).where(SocialPost.network == network,
                                                      SocialPost.network_id == network_id))


def _dispatch_after_commit(post: SocialPost) -> None:
    db.session.flush()
    post_id = post.id
    scheduler = services().scheduler
    after_commit(db.session, lambda: scheduler.enqueue("social_dispatch", post_id))


def _create(source: SocialSource | None, item: Item) -> SocialPost:
    parent = find_post(item.network, item.parent_network_id) if item.parent_network_id else None
    now = clock.now()
    post = SocialPost(source_id=source.id if source else None, network=item.network, network_id=item.network_id,
                      kind=item.kind, parent_id=parent.id if parent else None, url=item.url,
                      text=item.text[:MAX_TEXT], posted_at=item.posted_at, first_seen_at=now, last_seen_at=now,
                      status="new")
    db.session.add(post)
    _dispatch_after_commit(post)
    return post


def mark_deleted(post: SocialPost) -> bool:
    """Remember that the author deleted the post; True when this is news."""
    if post.deleted_at is not None:
        return False
    post.deleted_at = clock.now()
    if post.appeal_id is not None:
        add_event(post.appeal_id, "social_post_deleted", None, {"network_id": post.network_id, "url": post.url})
    return True


def store_item(source: SocialSource | None, item: Item) -> tuple[SocialPost | None, str]:
    """Store a post once; a changed text is an edit (old text kept), a deleted flag a deletion."""
    post = find_post(item.network, item.network_id)
    if post is None:
        if item.deleted or not item.text.strip():
            return None, SAME  # nothing to read in a deleted or empty item we never saw
        return _create(source, item), NEW
    post.last_seen_at = clock.now()
    if item.deleted:
        return post, DELETED if mark_deleted(post) else SAME
    text = item.text[:MAX_TEXT]
    if text == post.text or not text.strip():
        return post, SAME
    db.session.add(SocialRevision(post_id=post.id, text=post.text, replaced_at=clock.now()))
    post.text, post.edited_at, post.deleted_at = text, clock.now(), None
    _dispatch_after_commit(post)
    return post, EDITED


def mark_missing(source: SocialSource, kind: str, seen: Iterable[str], candidates: Iterable[str]) -> int:
    """Posts of `source` among `candidates` (ids that a full read would show) that were not `seen`: deleted."""
    missing = set(candidates) - set(seen)
    if not missing:
        return 0
    rows = db.session.scalars(select(SocialPost).where(SocialPost.source_id == source.id, SocialPost.kind == kind,
                                                       SocialPost.network_id.in_(missing)))
    return sum(mark_deleted(post) for post in rows)
