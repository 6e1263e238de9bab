"""Parsing an outage's fields from a JSON payload into typed values with Russian field errors."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from connectors import phones
from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.outages.models import KINDS
from workflows.registry.models import Organization
from workflows.resources import RESOURCES, accusative

MAX_DURATION = timedelta(days=366)
WITHIN = timedelta(days=366)  # an outage starts at most a year before or after now
# Any time outside these years is a typo (0001, 9999) and would overflow on conversion to UTC.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
OUTAGE_ORG_KINDS = ("rso", "uk", "tsj", "gas_emergency")
SUPPLIER_KINDS = ("rso", "gas_emergency")  # a УК or ТСЖ provides every utility in its buildings


def parse_time(value: Any, field: str, errors: dict[str, Any], required: bool = True) -> datetime | None:
    if value in (None, ""):
        if required:
            errors[field] = "обязательное поле"
        return None
    if not isinstance(value, str):
        errors[field] = "время в ISO 8601 со смещением"
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors[field] = "время в ISO 8601 со смещением, например 2026-11-02T09:00:00+03:00"
        return None
    if moment.tzinfo is None:
        errors[field] = "укажите смещение часового пояса (+03:00)"
        return None
    if not EARLIEST <= moment < LATEST:
        errors[field] = "время вне допустимого диапазона (2000–2099 годы)"
        return None
    return moment


def start_time(value: Any, errors: dict[str, Any]) -> datetime | None:
    """`starts_at`: within a year of now, either way."""
    moment = parse_time(value, "starts_at", errors)
    now = clock.now()
    if moment is not None and not now - WITHIN <= moment <= now + WITHIN:
        errors["starts_at"] = "начало отключения — не дальше года от сегодняшнего дня"
        return None
    return moment


def text(value: Any, field: str, limit: int, errors: dict[str, Any]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        errors[field] = f"строка не длиннее {limit} символов"
        return None
    return value.strip()


def organization(payload: dict[str, Any], actor: User | None, errors: dict[str, Any]) -> Organization | None:
    raw = payload.get("organization_id")
    own = actor.organization_id if actor is not None and actor.role not in CITY_WIDE_ROLES else None
    if raw in (None, "") and own is not None:
        raw = own
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw < 2**31:
        errors["organization_id"] = "обязательное поле: id организации"
        return None
    if actor is not None and actor.role not in CITY_WIDE_ROLES and raw != own:
        errors["organization_id"] = "можно регистрировать отключения только своей организации"
        return None
    org = db.session.get(Organization, raw)
    if org is None or org.kind not in OUTAGE_ORG_KINDS:
        errors["organization_id"] = "нет такой ресурсоснабжающей или управляющей организации"
        return None
    return org


def temperature(value: Any, errors: dict[str, Any], field: str = "outdoor_temperature") -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not -60 <= value <= 50:
        errors[field] = "число от -60 до 50"
        return None
    return float(value)


def flag(value: Any, field: str, errors: dict[str, Any]) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        errors[field] = "true или false"
        return False
    return value


def supplied(org: Organization | None, kind: Any, resource: Any, errors: dict[str, Any]) -> None:
    """A supplier registers outages of its own resources only; the maintenance shutdown is hot water's."""
    if kind == "maintenance" and resource != "hot_water":
        errors["kind"] = "ежегодное профилактическое отключение бывает только у горячего водоснабжения"
    if org is None or resource not in RESOURCES or org.kind not in SUPPLIER_KINDS:
        return
    if resource not in (org.resources or []):
        offered = ", ".join(accusative(r) for r in org.resources or []) or "ничего"
        errors["resource"] = (f"{org.name} не поставляет {accusative(str(resource))}: "
                              f"организация может регистрировать отключения только своих ресурсов ({offered})")


def outage_fields(payload: dict[str, Any], actor: User | None) -> dict[str, Any]:
    """Everything but the scope; raises ValidationFailed with every field error after the scope is read."""
    errors: dict[str, Any] = {}
    kind, resource = payload.get("kind"), payload.get("resource")
    if kind not in KINDS:
        errors["kind"] = f"одно из: {', '.join(KINDS)}"
    if resource not in RESOURCES:
        errors["resource"] = f"одно из: {', '.join(RESOURCES)}"
    starts_at = start_time(payload.get("starts_at"), errors)
    ends_at = parse_time(payload.get("ends_at"), "ends_at", errors)
    if starts_at and ends_at and not starts_at < ends_at <= starts_at + MAX_DURATION:
        errors["ends_at"] = "позже начала и не больше чем через год"
    org = organization(payload, actor, errors)
    supplied(org, kind, resource, errors)
    return {"kind": kind, "resource": resource, "starts_at": starts_at, "ends_at": ends_at, "organization": org,
            "indoor_temperature": temperature(payload.get("indoor_temperature"), errors, "indoor_temperature"),
            "network_accident": flag(payload.get("network_accident"), "network_accident", errors),
            "description": text(payload.get("description"), "description", 4000, errors) or "",
            "contact_phone": phones.stored(text(payload.get("contact_phone"), "contact_phone", 40, errors)),
            "outdoor_temperature": temperature(payload.get("outdoor_temperature"), errors), "errors": errors}


def fail_if(errors: dict[str, Any], message: str) -> None:
    if errors:
        raise ValidationFailed(message, errors)
