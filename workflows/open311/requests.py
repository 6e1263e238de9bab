"""Open311 requests: the filtered, paged list, one request, tokens, and creating one (an appeal)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from workflows import citytime, clock
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.ids import digits
from workflows.open311.present import CLOSED_STATUSES, service_request
from workflows.open311.services import service_category
from workflows.open311.tokens import appeal_for_token

MAX_RANGE = timedelta(days=90)
MAX_IDS = 100
MIN_YEAR, MAX_YEAR = 2000, 2099


@dataclass(frozen=True)
class RequestQuery:
    ids: tuple[int, ...] | None = None
    codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = 100


def _listed(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def parse_moment(raw: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.strip().replace("z", "Z"))
    except ValueError:
        raise ValidationFailed(f"{field} must be a w3 date-time, e.g. 2026-01-01T00:00:00Z",
                               {field: "invalid date"}) from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:  # years 0001 and 9999 overflow on conversion and ranges
        raise ValidationFailed(f"{field} must be between {MIN_YEAR} and {MAX_YEAR}", {field: "out of range"})
    if moment.tzinfo is None:
        moment = citytime.attach(moment)
    return moment.astimezone(UTC)


def build_query(args: dict[str, str | None], page: int, page_size: int) -> RequestQuery:
    """Validate the GET requests parameters (service_request_id overrides every other filter)."""
    ids = _listed(args.get("service_request_id"))
    if ids:
        return RequestQuery(ids=tuple(int(i) for i in ids[:MAX_IDS] if digits(i) and len(i) < 10),
                            page=page, page_size=page_size)
    codes = _listed(args.get("service_code"))
    for code in codes:
        service_category(code)
    statuses = _listed(args.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationFailed("status может быть только open или closed", {"status": "open или closed"})
    raw_start, raw_end = args.get("start_date"), args.get("end_date")
    start = parse_moment(raw_start, "start_date") if raw_start else None
    end = parse_moment(raw_end, "end_date") if raw_end else None
    if start is not None and end is not None and (end - start > MAX_RANGE or end < start):
        raise ValidationFailed("между start_date и end_date не больше 90 дней",
                               {"end_date": "не больше 90 дней после start_date"})
    if start is None:
        start = (end or clock.now()) - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    return RequestQuery(None, tuple(codes), tuple(dict.fromkeys(statuses)), start, end, page, page_size)


def list_requests(query: RequestQuery) -> list[dict[str, Any]]:
    stmt = select(Appeal)
    if query.ids is not None:
        stmt = stmt.where(Appeal.id.in_(query.ids or (-1,)))
    else:
        if query.codes:
            stmt = stmt.where(Appeal.category.in_(query.codes))
        if len(query.statuses) == 1:
            closed = Appeal.status.in_(CLOSED_STATUSES)
            stmt = stmt.where(closed if query.statuses[0] == "closed" else ~closed)
        if query.start is not None:
            stmt = stmt.where(Appeal.created_at >= query.start)
        if query.end is not None:
            stmt = stmt.where(Appeal.created_at <= query.end)
    stmt = stmt.order_by(Appeal.created_at.desc(), Appeal.id.desc())
    stmt = stmt.offset((query.page - 1) * query.page_size).limit(query.page_size)
    return [service_request(appeal) for appeal in db.session.scalars(stmt)]


def get_request(raw_id: str) -> dict[str, Any]:
    appeal = db.session.get(Appeal, int(raw_id)) if digits(raw_id) and len(raw_id) < 10 else None
    if appeal is None:
        raise NotFound(f"обращение service_request_id {raw_id} не найдено")
    return service_request(appeal)


def request_for_token(token: str) -> dict[str, Any]:
    appeal_id = appeal_for_token(token)
    if appeal_id is None or db.session.get(Appeal, appeal_id) is None:
        raise NotFound(f"токен {token} не найден")
    return {"service_request_id": str(appeal_id), "token": token}
