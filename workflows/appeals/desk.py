"""The ЦГДС phone desk: caller's earlier appeals, live building match, open incidents, registering a call."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from connectors import phones
from workflows.accounts.models import User
from workflows.appeals import queries
from workflows.appeals.catalog import BY_CODE, CATEGORIES, resource_of
from workflows.appeals.incidents import JOIN_WINDOW
from workflows.appeals.intake import Registration, register_appeal
from workflows.appeals.intake import _validated as validate_payload  # the same checks, nothing stored
from workflows.appeals.models import Appeal, Incident
from workflows.appeals.suggest import sounds_like_emergency, suggest
from workflows.clock import now
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building
from workflows.services import services

PHONE_CHARS = re.compile(r"^[\d\s()+\-.]{5,30}$")
# The category an incident's resource is reported under: a call about it joins the incident.
CATEGORY_OF_RESOURCE: dict[str, str] = {c.resource.value: c.code for c in CATEGORIES if c.resource}


@dataclass
class OpenIncident:
    incident: Incident
    category: str
    appeals: int
    primary_number: str | None


@dataclass
class BuildingCard:
    building: Building
    incidents: list[OpenIncident] = field(default_factory=list)


def caller_appeals(user: User, phone: str, limit: int = 10) -> list[Appeal]:
    """The caller's earlier appeals the user may see, newest first."""
    normal = phones.e164(phone) if PHONE_CHARS.match(phone or "") else None
    if normal is None:
        return []
    query = queries.filtered(user, {"phone": normal}).order_by(Appeal.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def exact_building(text: str) -> int | None:
    """The one building a typed address names exactly (street and the whole house number), else None:
    the desk's Enter picks only that, never the first of several houses ("10" is not "107")."""
    if len((text or "").strip()) < 2:
        return None
    return registry_index().resolve(text[:200]).building_id


def building_matches(text: str, limit: int = 8) -> list[dict[str, Any]]:
    """Live address search for the desk, best first, with each building's УК."""
    if len((text or "").strip()) < 2:
        return []
    candidates = registry_index().search(text[:200], limit=limit)
    buildings = {b.id: b for b in db.session.scalars(
        select(Building).where(Building.id.in_([c.building_id for c in candidates])))}
    return [{"id": c.building_id, "address": c.address, "score": round(c.score, 3),
             "management_organization": _org_ref(buildings.get(c.building_id))} for c in candidates]


def _org_ref(building: Building | None) -> dict[str, Any] | None:
    if building is None or building.management_org is None:
        return None
    return building.management_org.ref()


def building_card(building_id: int) -> BuildingCard:
    """The building with its open incidents: a call about one of them joins it instead of a duplicate."""
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    since = now() - JOIN_WINDOW
    rows = db.session.execute(
        select(Incident, func.count(Appeal.id))
        .outerjoin(Appeal, Appeal.incident_id == Incident.id)
        .where(Incident.building_id == building_id, Incident.status == "open")
        .group_by(Incident.id).order_by(Incident.id)).all()
    card = BuildingCard(building)
    for incident, count in rows:
        if incident.outage_id is None and incident.opened_at < since:
            continue  # too old to attract new calls (incidents.open_incident_for)
        primary = db.session.get(Appeal, incident.primary_appeal_id) if incident.primary_appeal_id else None
        card.incidents.append(OpenIncident(incident, CATEGORY_OF_RESOURCE.get(incident.resource, "other"),
                                           int(count), primary.number if primary else None))
    return card


def suggestion(text: str) -> dict[str, Any]:
    """What the desk proposes for a call's text, for the dispatcher to confirm."""
    code = suggest(text or "")
    return {"category": code, "category_name": BY_CODE[code].name if code else None,
            "emergency": sounds_like_emergency(text or "", code)}


def _building_id(raw: str, errors: dict[str, Any]) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        errors["address"] = "выберите дом из списка"
        return None
    return int(raw)


def call_payload(form: dict[str, str]) -> dict[str, Any]:
    """The intake payload of a phone call typed at the desk; phone and building errors by field."""
    errors: dict[str, Any] = {}
    phone = (form.get("phone") or "").strip()
    if phone and not PHONE_CHARS.match(phone):
        errors["phone"] = "номер телефона: цифры, +, скобки, дефисы"
    payload: dict[str, Any] = {
        "channel": "phone", "text": (form.get("text") or "").strip(), "category": form.get("category") or None,
        "emergency": form.get("emergency") in ("on", "1", "true"), "flat": (form.get("flat") or "").strip() or None,
        "applicant": {"name": (form.get("name") or "").strip() or None,
                      "phone": phones.stored(phone), "channel": "phone"},
    }
    building_id = _building_id(form.get("building_id", ""), errors)
    if form.get("unlisted") in ("on", "1", "true"):
        # chosen deliberately: the house is not in the registry, ЦГДС attaches the building later
        payload["address"] = (form.get("address") or "").strip()
        payload["unlisted_address"] = True
    elif building_id is not None:
        payload["building_id"] = building_id
    else:
        payload["address"] = (form.get("address") or "").strip()
    if errors:
        raise ValidationFailed("проверьте поля", errors)
    return payload


def _intake_errors(payload: dict[str, Any]) -> dict[str, Any]:
    """Intake's own field errors for a payload, without registering anything."""
    try:
        validate_payload(payload)
    except ValidationFailed as err:
        return err.details if isinstance(err.details, dict) else {}
    return {}


def _all_errors(payload: dict[str, Any]) -> dict[str, Any]:
    """Every field's error at once: intake looks at the address only once there is a text."""
    errors = _intake_errors(payload)
    if "text" in errors:
        errors = {**_intake_errors({**payload, "text": "."}), **errors}
    fields = dict(errors)
    if "building_id" in fields:  # the desk shows a building error beside the address
        fields["address"] = fields.pop("building_id")
    if str(fields.get("address", "")).startswith("укажите address"):
        fields["address"] = "введите адрес и выберите дом из списка"
    return fields


def register_call(form: dict[str, str], actor: User) -> Registration:
    """Register a call typed at the desk; every field's error comes back at once, nothing half-stored."""
    message = "обращение не зарегистрировано: проверьте поля"
    try:
        payload = call_payload(form)
    except ValidationFailed as err:
        own = err.details if isinstance(err.details, dict) else {}
        lenient = call_payload({**form, "phone": "", "building_id": ""})
        raise ValidationFailed(message, {**_all_errors(lenient), **own}) from None
    try:
        return register_appeal(payload, actor)
    except ValidationFailed:
        raise ValidationFailed(message, _all_errors(payload)) from None


def building_outages(building_id: int | None) -> list[Any]:
    """Current and planned outages of the building, for the card the dispatcher sees during the call."""
    return services().outages.building_live_outages(building_id)


def outage_for(appeal: Appeal) -> Any | None:
    """The active outage of the appeal's resource at its building: the caller hears its expected end."""
    return services().outages.active_outage_for(appeal.building_id, resource_of(appeal.category))
