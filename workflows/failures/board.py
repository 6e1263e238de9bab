"""The admin's view of failed instances: grouped by the engine's message, retried a group at a time."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import ProcessFailed
from workflows.failures.manual import retry
from workflows.failures.models import AlertContact, FailureAlert
from workflows.failures.subjects import subject_of
from workflows.failures.texts import PROCESS_TITLES, in_words
from workflows.runtime.models import ProcessInstance

SHOWN_PER_GROUP = 8
MAX_LISTED = 20_000


@dataclass
class FailureGroup:
    key: str
    message: str
    text: str
    process: str
    first_at: datetime
    last_at: datetime
    instance_ids: list[int] = field(default_factory=list)
    appeals: list[tuple[int, str]] = field(default_factory=list)  # (id, number), the first few
    outages: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.instance_ids)


def group_key(process_id: str, message: str) -> str:
    return hashlib.sha256(f"{process_id}|{message}".encode()).hexdigest()[:16]


def failure_groups() -> list[FailureGroup]:
    """Instances in `error`, grouped by process and message; the largest group first."""
    rows = db.session.execute(
        select(ProcessInstance.id, ProcessInstance.process_id, ProcessInstance.business_key,
               ProcessInstance.error_message, ProcessInstance.updated_at)
        .where(ProcessInstance.status == "error").order_by(ProcessInstance.updated_at).limit(MAX_LISTED)).all()
    groups: dict[str, FailureGroup] = {}
    for instance_id, process_id, business_key, message, at in rows:
        key = group_key(process_id, message or "")
        group = groups.get(key)
        if group is None:
            group = groups[key] = FailureGroup(key, message or "", in_words(message or ""),
                                               PROCESS_TITLES.get(process_id, process_id), at, at)
        group.instance_ids.append(instance_id)
        group.last_at = at
        subject = subject_of(business_key)
        if subject is not None and subject.kind == "outage" and len(group.outages) < SHOWN_PER_GROUP:
            group.outages.append(subject.id)
        elif subject is not None and subject.kind == "appeal" and len(group.appeals) < SHOWN_PER_GROUP:
            group.appeals.append((subject.id, ""))
    _number_appeals(list(groups.values()))
    return sorted(groups.values(), key=lambda g: (-g.count, g.first_at))


def _number_appeals(groups: list[FailureGroup]) -> None:
    ids = [appeal_id for group in groups for appeal_id, _ in group.appeals]
    numbers = {row[0]: row[1] for row in db.session.execute(select(Appeal.id, Appeal.number).where(Appeal.id.in_(ids)))}
    for group in groups:
        group.appeals = [(appeal_id, numbers.get(appeal_id, str(appeal_id))) for appeal_id, _ in group.appeals]


@dataclass
class RetryResult:
    retried: int = 0
    recovered: int = 0
    failed_again: int = 0


def retry_group(key: str, actor_id: int | None) -> RetryResult:
    """Retry every instance of the group, each in its own transaction."""
    result = RetryResult()
    group = next((g for g in failure_groups() if g.key == key), None)
    for instance_id in group.instance_ids if group is not None else []:
        result.retried += 1
        try:
            retry(instance_id, actor_id)
            result.recovered += 1
        except ProcessFailed:
            result.failed_again += 1
    return result


def recent_alerts(limit: int = 20) -> list[FailureAlert]:
    return list(db.session.scalars(select(FailureAlert).order_by(FailureAlert.id.desc()).limit(limit)))


def alert_contacts() -> list[AlertContact]:
    return list(db.session.scalars(select(AlertContact).order_by(AlertContact.user_id, AlertContact.channel)))
