"""The dispatch log: the registry's rows with the columns ЦГДС keeps for every call (DOMAIN.md)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select

from workflows.accounts.models import User
from workflows.appeals import queries
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db

EXPORT_LIMIT = 50_000
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "Номер"), ("registered_at", "Зарегистрировано"), ("channel", "Канал"),
    ("applicant", "Заявитель"), ("phone", "Телефон"), ("address", "Адрес"), ("category", "Категория"),
    ("emergency", "Аварийное"), ("text", "Текст обращения"), ("organization", "Организация"),
    ("status", "Статус"), ("registered_by", "Зарегистрировал"), ("accept_due_at", "Срок принятия"),
    ("accepted_at", "Принято"), ("accepted_by", "Принял"), ("accept_breached", "Срок принятия нарушен"),
    ("resolve_due_at", "Срок устранения"), ("resolved_at", "Решено"), ("resolved_by", "Решил"),
    ("resolve_breached", "Срок устранения нарушен"), ("result", "Результат"),
)
# The history entries whose person the log names in its own column (the last one of each kind counts).
STEP_COLUMNS = {"registered": "registered_by", "accepted": "accepted_by", "resolved": "resolved_by",
                "cannot_resolve": "resolved_by"}
BATCH = 500


@dataclass(frozen=True)
class LogRow:
    """One appeal as the log shows it; personal data is None where the reader may not see it."""

    number: str
    registered_at: datetime
    channel: str
    applicant: str | None
    phone: str | None
    address: str | None
    category: str
    emergency: bool
    text: str
    organization: str | None
    status: str
    accept_due_at: datetime | None
    accepted_at: datetime | None
    accept_breached: bool
    resolve_due_at: datetime | None
    resolved_at: datetime | None
    resolve_breached: bool
    result: str | None
    registered_by: str | None = None
    accepted_by: str | None = None
    resolved_by: str | None = None

    def value(self, column: str) -> Any:
        return getattr(self, column)


def person_text(user: User | None) -> str | None:
    """'Иванов И. И., ООО «УК Центральная»' — the person and their organisation, for the log."""
    if user is None:
        return None
    name = user.full_name or user.login
    return f"{name}, {user.organization.name}" if user.organization else name


def _people(appeal_ids: list[int]) -> dict[int, dict[str, str | None]]:
    """For each appeal, who registered, accepted and resolved it (staff are not personal data of the resident)."""
    query = (select(AppealEvent).where(AppealEvent.appeal_id.in_(appeal_ids), AppealEvent.kind.in_(STEP_COLUMNS),
                                       AppealEvent.actor_id.is_not(None)).order_by(AppealEvent.id))
    people: dict[int, dict[str, str | None]] = defaultdict(dict)
    for event in db.session.scalars(query):
        people[event.appeal_id][STEP_COLUMNS[event.kind]] = person_text(event.actor)
    return people


def _row(appeal: Appeal, personal: bool, people: dict[str, str | None]) -> LogRow:
    return LogRow(**people,  # type: ignore[arg-type]
        number=appeal.number, registered_at=appeal.created_at, channel=appeal.channel,
        applicant=appeal.applicant_name if personal else None, phone=appeal.applicant_phone if personal else None,
        address=appeal.address_text, category=appeal.category, emergency=appeal.emergency, text=appeal.text,
        organization=appeal.organization.name if appeal.organization else None, status=appeal.status,
        accept_due_at=appeal.accept_due_at, accepted_at=appeal.accepted_at, accept_breached=appeal.accept_breached,
        resolve_due_at=appeal.resolve_due_at, resolved_at=appeal.resolved_at,
        resolve_breached=appeal.resolve_breached, result=appeal.result)


def log_rows(user: User, filters: dict[str, Any], limit: int = EXPORT_LIMIT) -> Iterator[LogRow]:
    """The registry's appeals (the user's scope and filters), oldest first, streamed in batches."""
    query = queries.filtered(user, filters).order_by(Appeal.id).limit(limit)
    appeals = cast("Iterator[Appeal]", db.session.scalars(query.execution_options(yield_per=BATCH)))
    for batch in _batches(appeals):
        people = _people([appeal.id for appeal in batch])
        for appeal in batch:
            yield _row(appeal, queries.may_see_personal(user, appeal), people.get(appeal.id, {}))


def _batches(appeals: Iterator[Appeal]) -> Iterator[list[Appeal]]:
    batch: list[Appeal] = []
    for appeal in appeals:
        batch.append(appeal)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


STEP_LIMIT = 200_000
STEP_COLUMNS_TITLES: tuple[tuple[str, str], ...] = (
    ("number", "Номер"), ("at", "Время"), ("kind", "Событие"), ("person", "Кто"), ("role", "Роль"),
    ("organization", "Организация"), ("text", "Комментарий"),
)


@dataclass(frozen=True)
class StepRow:
    """One step of one appeal with the person who took it (None for the system's own steps)."""

    number: str
    at: datetime
    kind: str
    person: str | None
    role: str | None
    organization: str | None
    text: str | None

    def value(self, column: str) -> Any:
        return getattr(self, column)


def step_rows(user: User, filters: dict[str, Any], limit: int = STEP_LIMIT) -> Iterator[StepRow]:
    """Every history entry of the registry's appeals, appeal by appeal, oldest first."""
    appeal_ids = queries.filtered(user, filters).with_only_columns(Appeal.id).order_by(None).limit(EXPORT_LIMIT)
    query = (select(AppealEvent, Appeal.number).join(Appeal, Appeal.id == AppealEvent.appeal_id)
             .where(AppealEvent.appeal_id.in_(appeal_ids.scalar_subquery()))
             .order_by(AppealEvent.appeal_id, AppealEvent.at, AppealEvent.id).limit(limit))
    for event, number in db.session.execute(query.execution_options(yield_per=BATCH)):
        actor = event.actor
        # A registration's text is the resident's words: the registry's first sheet already has them.
        text = None if event.kind == "registered" else event.text
        yield StepRow(number=number, at=event.at, kind=event.kind,
                      person=(actor.full_name or actor.login) if actor else None,
                      role=actor.role if actor else None,
                      organization=actor.organization.name if actor and actor.organization else None, text=text)
