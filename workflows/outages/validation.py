"""Parsing an outage's fields from a JSON payload into typed values with Russian field errors."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from connectors import phones
from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.outages.input import OUTAGE_INPUT
from workflows.registry.models import Organization
from workflows.resources import RESOURCES, accusative
from workflows.validation import errors_of

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
    """Everything but the scope; raises ValidationFailed with every field error after the scope is read.

    OUTAGE_INPUT checks shapes (types, choices, lengths); what follows checks meaning, for fields whose
    shape is right."""
    errors: dict[str, Any] = errors_of(OUTAGE_INPUT, payload)
    kind, resource = payload.get("kind"), payload.get("resource")
    starts_at = start_time(payload.get("starts_at"), errors) if "starts_at" not in errors else None
    ends_at = parse_time(payload.get("ends_at"), "ends_at", errors) if "ends_at" not in errors else None
    if starts_at and ends_at and not starts_at < ends_at <= starts_at + MAX_DURATION:
        errors["ends_at"] = "позже начала и не больше чем через год"
    org = organization(payload, actor, errors) if "organization_id" not in errors else None
    supplied(org, kind, resource, errors)
    indoor, outdoor = payload.get("indoor_temperature"), payload.get("outdoor_temperature")
    return {"kind": kind, "resource": resource, "starts_at": starts_at, "ends_at": ends_at, "organization": org,
            "indoor_temperature": _number(indoor), "network_accident": payload.get("network_accident") is True,
            "description": _string(payload.get("description")) or "",
            "contact_phone": phones.stored(_string(payload.get("contact_phone"))),
            "outdoor_temperature": _number(outdoor), "errors": errors}


def _string(value: Any) -> str | None:
    """A text field, trimmed; None when absent or (with its error already noted) not text."""
    return value.strip() if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def fail_if(errors: dict[str, Any], message: str) -> None:
    if errors:
        raise ValidationFailed(message, errors)
