"""Building representatives: enrolment (staff API or invitation link), consent records, leaving, the limit."""
from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from workflows import clock, contacts, validation
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.db import db
from workflows.errors import Conflict, Forbidden, NotFound
from workflows.outages.models import REP_CHANNELS, REP_ROLES, Consent, InvitationToken, Representative
from workflows.registry.models import Building

CONSENT_VERSION = "2026-01"
CONSENT_TEXT = ("Я согласен получать уведомления об отключениях по моему дому и передавать их жителям. "
                "Отклик хранит мой канал связи и имя, пока я не откажусь (/stop или кнопка «Выйти»).")
DEFAULT_LIMIT = 5


def max_representatives() -> int:
    try:
        return max(1, int(current_app.config.get("OUTAGE_MAX_REPRESENTATIVES", DEFAULT_LIMIT)))
    except (TypeError, ValueError):
        return DEFAULT_LIMIT


def active_count(building_id: int) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Representative).where(
        Representative.building_id == building_id, Representative.active.is_(True))) or 0)


def _may_manage_building(user: User, building: Building) -> bool:
    if user.role in CITY_WIDE_ROLES:
        return True
    orgs = {building.management_org_id, *(link.organization_id for link in building.suppliers)}
    return user.organization_id is not None and user.organization_id in orgs


# What `POST /api/v1/buildings/{id}/representatives` accepts: checked here, published as its OpenAPI body.
REPRESENTATIVE_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["role", "channel", "address", "consent"],
    "properties": {
        "name": {"type": ["string", "null"], "maxLength": 200, "x-message": "строка до 200 символов"},
        "role": {"enum": list(REP_ROLES), "x-message": f"одно из: {', '.join(REP_ROLES)}"},
        "channel": {"enum": list(REP_CHANNELS), "x-message": f"одно из: {', '.join(REP_CHANNELS)}"},
        "address": {"type": ["string", "integer"], "minLength": 1, "maxLength": 200, "pattern": r"\S",
                    "x-message": "chat id, телефон или e-mail (до 200 символов)"},
        "consent": {"const": True, "x-message": "нужно согласие представителя: consent: true"},
    },
}


def _validated(payload: dict[str, Any]) -> dict[str, str]:
    errors = validation.errors_of(REPRESENTATIVE_INPUT, payload)
    channel, address = payload.get("channel"), payload.get("address")
    if isinstance(address, bool):
        errors["address"] = REPRESENTATIVE_INPUT["properties"]["address"]["x-message"]
    address = str(address).strip()
    if "address" not in errors and "channel" not in errors:
        try:
            address = contacts.normalised(str(channel), address)
        except contacts.AddressInvalid as err:
            errors["address"] = str(err)
    validation.checked(REPRESENTATIVE_INPUT, payload, "представитель не может быть добавлен", errors)
    name = payload.get("name")
    return {"name": (name or "").strip(), "role": str(payload["role"]), "channel": str(channel), "address": address}


def enrol(building_id: int, fields: dict[str, str], consent_channel: str,
          actor_id: int | None = None) -> Representative:
    """Add (or bring back) a representative with a fresh consent record; the caller commits."""
    existing = db.session.scalar(select(Representative).where(
        Representative.building_id == building_id, Representative.channel == fields["channel"],
        Representative.address == fields["address"]))
    if existing is not None and existing.active:
        raise Conflict("этот представитель уже подключён к дому")
    if active_count(building_id) >= max_representatives():
        raise Conflict(f"у дома уже {max_representatives()} представителей — это предел")
    now = clock.now()
    rep = existing or Representative(building_id=building_id, channel=fields["channel"], address=fields["address"])
    rep.name, rep.role = fields.get("name", "") or rep.name or "", fields.get("role") or rep.role or "active_resident"
    rep.active, rep.left_at, rep.unreachable_at, rep.joined_at, rep.created_by_id = True, None, None, now, actor_id
    db.session.add(rep)
    db.session.flush()
    db.session.add(Consent(representative_id=rep.id, given_at=now, text_version=CONSENT_VERSION,
                           channel=consent_channel, given_by_id=actor_id))
    return rep


def add_representative(building_id: int, payload: dict[str, Any], actor: User) -> Representative:
    """Staff enrol a representative through the API (the contract's POST .../representatives); commits."""
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    if not _may_manage_building(actor, building):
        raise Forbidden("дом не обслуживается вашей организацией")
    rep = enrol(building_id, _validated(payload), "api", actor.id)
    db.session.commit()
    return rep


def leave(rep: Representative) -> None:
    """The representative stops receiving notices; consent is withdrawn. The caller commits."""
    now = clock.now()
    rep.active, rep.left_at = False, now
    for consent in db.session.scalars(select(Consent).where(Consent.representative_id == rep.id,
                                                            Consent.withdrawn_at.is_(None))):
        consent.withdrawn_at = now


def remove_representative(building_id: int, rep_id: int, actor: User) -> Representative:
    rep = db.session.get(Representative, rep_id)
    building = db.session.get(Building, building_id)
    if rep is None or building is None or rep.building_id != building_id:
        raise NotFound(f"нет представителя {rep_id} у дома {building_id}")
    if not _may_manage_building(actor, building):
        raise Forbidden("дом не обслуживается вашей организацией")
    leave(rep)
    db.session.commit()
    return rep


def building_representatives(building_id: int, actor: User | None = None) -> list[Representative]:
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    if actor is not None and not _may_manage_building(actor, building):
        raise Forbidden("дом не обслуживается вашей организацией")
    return list(db.session.scalars(select(Representative).where(Representative.building_id == building_id)
                                   .order_by(Representative.active.desc(), Representative.id)))


def consents_of(rep_id: int) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.representative_id == rep_id).order_by(Consent.id)))


def invitation(building_id: int, actor: User | None = None) -> InvitationToken:
    """The building's invitation token, created on first use; commits when new.

    With an `actor`, only for a building the actor's organisation serves (or a city-wide role)."""
    building = db.session.get(Building, building_id)
    if building is None:
        raise NotFound(f"нет дома {building_id}")
    if actor is not None and not _may_manage_building(actor, building):
        raise Forbidden("дом не обслуживается вашей организацией")
    row = db.session.scalar(select(InvitationToken).where(InvitationToken.building_id == building_id))
    if row is None:
        row = InvitationToken(building_id=building_id, token=secrets.token_urlsafe(16), created_at=clock.now())
        db.session.add(row)
        db.session.commit()
    return row


def invitation_links(token: str) -> dict[str, str]:
    telegram = str(current_app.config.get("TELEGRAM_BOT_NAME") or "otklik_bot")
    max_bot = str(current_app.config.get("MAX_BOT_NAME") or "otklik_bot")
    links = {"token": token, "telegram": f"https://t.me/{telegram}?start={token}",
             "max": f"https://max.ru/{max_bot}?start={token}"}
    vk_group = str(current_app.config.get("VK_GROUP_ID") or "").strip()
    if vk_group:  # a vk.me link passes `ref` in the first message_new: read as /start <token>
        links["vk"] = f"https://vk.me/club{vk_group}?ref={token}"
    return links


def building_for_token(token: str) -> Building | None:
    row = db.session.scalar(select(InvitationToken).where(InvitationToken.token == token))
    return db.session.get(Building, row.building_id) if row is not None else None
