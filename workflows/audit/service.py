"""Writing and reading the audit log; entries are added in the caller's transaction."""
from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.audit.models import AuditEntry
from workflows.db import db

MAX_DIFF_CHARS = 200_000


def text_diff(old: bytes | None, new: bytes, old_name: str, new_name: str) -> str:
    """Unified diff of two XML files, line by line (capped: a log entry, not an archive)."""
    before = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    diff = "".join(difflib.unified_diff(before, after, old_name, new_name, n=2))
    return diff if len(diff) <= MAX_DIFF_CHARS else diff[:MAX_DIFF_CHARS] + "\n… (diff cut)\n"


def record(action: str, subject: str, actor_id: int | None, summary: dict[str, Any] | None = None,
           diff: str = "", version_id: int | None = None, previous_version_id: int | None = None,
           instance_id: int | None = None) -> AuditEntry:
    """Add an entry to the session; the caller's commit makes it part of the same change."""
    entry = AuditEntry(at=clock.now(), actor_id=actor_id, action=action, subject=subject, summary=summary or {},
                       diff=diff, version_id=version_id, previous_version_id=previous_version_id,
                       instance_id=instance_id)
    db.session.add(entry)
    return entry


def entries(subject: str | None = None, limit: int = 100) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject:
        query = query.where(AuditEntry.subject == subject)
    return list(db.session.scalars(query))
