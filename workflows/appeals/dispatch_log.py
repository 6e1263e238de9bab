"""The dispatch log: the registry's rows with the columns ЦГДС keeps for every call (DOMAIN.md)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from workflows.accounts.models import User
from workflows.appeals import queries
from workflows.appeals.models import Appeal
from workflows.db import db

EXPORT_LIMIT = 50_000
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "Номер"), ("registered_at", "Зарегистрировано"), ("channel", "Канал"),
    ("applicant", "Заявитель"), ("phone", "Телефон"), ("address", "Адрес"), ("category", "Категория"),
    ("emergency", "Аварийное"), ("text", "Текст обращения"), ("organization", "Организация"),
    ("status", "Статус"), ("accept_due_at", "Срок принятия"), ("accepted_at", "Принято"),
    ("accept_breached", "Срок принятия нарушен"), ("resolve_due_at", "Срок устранения"), ("resolved_at", "Решено"),
    ("resolve_breached", "Срок устранения нарушен"), ("result", "Результат"),
)


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

    def value(self, column: str) -> Any:
        return getattr(self, column)


def _row(appeal: Appeal, personal: bool) -> LogRow:
    return LogRow(
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
    appeals = cast("Iterator[Appeal]", db.session.scalars(query.execution_options(yield_per=500)))
    for appeal in appeals:
        yield _row(appeal, queries.may_see_personal(user, appeal))
