"""Registering an appeal: validate, resolve the building, store, start its process — in the caller's transaction.

`register_appeal` never commits and never rolls back the caller's work: it flushes, and whoever is outermost
(the request handler, the huey task, the CLI) commits once. Other services call it inside their own work
(an outage feedback, a resident's chat, a social post), and that work must survive a failed start.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import SessionTransaction, joinedload

from connectors import phones
from engine import EngineError
from workflows import clock, validation
from workflows.accounts.models import User
from workflows.appeals import letters
from workflows.appeals.catalog import resource_of, topic_of
from workflows.appeals.history import add_event
from workflows.appeals.input import APPEAL_INPUT
from workflows.appeals.input import MAX_TEXT as MAX_TEXT  # social intake cuts posts to it
from workflows.appeals.models import Appeal
from workflows.appeals.queries import appeal_to_dict
from workflows.appeals.suggest import sounds_like_emergency, suggest
from workflows.db import db
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building
from workflows.runtime.starts import StartFailed, record_failed_start, start_process
from workflows.services import services


@dataclass
class Registration:
    appeal: Appeal
    created: bool
    view: Any  # what `present` made of the appeal, before the commit: answering needs no reload


def _text(value: Any) -> str | None:
    """A text field APPEAL_INPUT let through: trimmed, "" and null as None, an integer as its digits."""
    if value is None or value == "":
        return None
    return str(value).strip()


def _building(payload: dict[str, Any], errors: dict[str, Any]) -> Building | None:
    raw_id = payload.get("building_id")
    if raw_id is not None:
        building = db.session.get(Building, raw_id, options=[joinedload(Building.suppliers)])
        if building is None:
            errors["building_id"] = f"нет дома {raw_id}"
        return building
    address = _text(payload.get("address"))
    if address is None:
        errors.setdefault("address", "укажите address или building_id")
        return None
    if payload.get("unlisted_address") is True:
        return None  # a house missing from the registry: registered by its address, ЦГДС attaches the building
    resolution = registry_index().resolve(address)
    if resolution.building_id is None:
        errors["address"] = "адрес не найден однозначно" if resolution.candidates else "адрес не найден"
        errors["candidates"] = [{"building_id": c.building_id, "address": c.address, "score": round(c.score, 3)}
                                for c in resolution.candidates[:5]]
        return None
    return db.session.get(Building, resolution.building_id, options=[joinedload(Building.suppliers)])


def _applicant(payload: dict[str, Any]) -> dict[str, str | None]:
    applicant = payload.get("applicant") or {}
    fields = {key: _text(applicant.get(key)) for key in ("name", "phone", "channel", "chat_id")}
    return {**fields, "phone": phones.stored(fields["phone"])}


def _validated(payload: dict[str, Any]) -> dict[str, Any]:
    """APPEAL_INPUT's checks, then the ones a schema cannot make (the building, the letter's arrival)."""
    errors: dict[str, Any] = validation.errors_of(APPEAL_INPUT, payload)
    building = None
    if not errors.keys() & {"text", "building_id", "address", "unlisted_address"}:
        building = _building(payload, errors)
    unlisted = building is None and payload.get("unlisted_address") is True and not errors
    arrived = letters.received_at(payload, errors) if "received_at" not in errors else None
    validation.checked(APPEAL_INPUT, payload, "обращение не может быть зарегистрировано", errors)
    category = payload.get("category")
    return {"text": str(payload["text"]).strip(), "channel": payload["channel"], "category": category or None,
            "emergency": payload.get("emergency"), "external_id": _text(payload.get("external_id")),
            "applicant": _applicant(payload), "building": building,
            "flat": _text(payload.get("flat")), "source_url": _text(payload.get("source_url")),
            "address": str(payload.get("address")).strip() if unlisted else None,
            "network": payload.get("network") is True, "received_at": arrived}


def _existing(channel: str, external_id: str | None) -> Appeal | None:
    if not external_id:
        return None
    return db.session.scalar(select(Appeal).where(Appeal.channel == channel, Appeal.external_id == external_id))


def register_appeal(payload: dict[str, Any], actor: User | None = None,
                    present: Callable[[Appeal], Any] = appeal_to_dict) -> Registration:
    """Register and route an appeal; the same channel + external_id again returns the first appeal.

    Flushes only: the caller commits. A savepoint covers the appeal and its process's start, so a start that
    fails or a concurrent duplicate takes back only what this call wrote, never the caller's own changes.
    `present` turns the appeal into the caller's answer while everything is still loaded.
    """
    fields = _validated(payload)
    existing = _existing(fields["channel"], fields["external_id"])
    if existing is not None:
        return Registration(existing, created=False, view=present(existing))
    savepoint = db.session.begin_nested()
    try:
        try:
            appeal = _create(fields, actor)
            db.session.flush()
        except StartFailed as failure:
            # The process failed while starting: register the appeal again with its process in `error`
            # (it gets a manual_handling task; an admin retries it), so an accepted appeal is never lost.
            _take_back(savepoint)
            savepoint = db.session.begin_nested()
            appeal = _create(fields, actor, failed_start=failure.error)
            db.session.flush()
        savepoint.commit()
    except IntegrityError:
        _take_back(savepoint)  # a concurrent request with the same external_id won the race
        existing = _existing(fields["channel"], fields["external_id"])
        if existing is None:
            raise
        return Registration(existing, created=False, view=present(existing))
    return Registration(appeal, created=True, view=present(appeal))


def _take_back(savepoint: SessionTransaction) -> None:
    """Roll back to the savepoint; what the failed attempt changed but did not flush is flushed first, so that
    the rollback expires it too (a savepoint's rollback only forgets what reached the database)."""
    if savepoint.is_active:
        with contextlib.suppress(Exception):  # the rollback below discards it either way
            db.session.flush()
    savepoint.rollback()


def _create(fields: dict[str, Any], actor: User | None, failed_start: EngineError | None = None) -> Appeal:
    text, building = fields["text"], fields["building"]
    category = fields["category"] or suggest(text) or "other"
    emergency = fields["emergency"] if fields["emergency"] is not None else sounds_like_emergency(text, category)
    applicant = fields["applicant"]
    now = clock.now()
    appeal = Appeal(
        number=_provisional_number(), channel=fields["channel"], external_id=fields["external_id"], text=text,
        category=category, category_confirmed=fields["category"] is not None, emergency=emergency,
        building_id=building.id if building else None,
        address_text=building.address if building else fields["address"], flat=fields["flat"],
        applicant_name=applicant.get("name"),
        applicant_phone=applicant.get("phone"), applicant_channel=applicant.get("channel") or fields["channel"],
        applicant_chat_id=applicant.get("chat_id"), status="registered", created_at=now,
        created_by_id=actor.id if actor else None, source_url=fields["source_url"],
    )
    db.session.add(appeal)
    db.session.flush()
    appeal.number = f"{now.year}-{appeal.id:06d}"
    details = {"channel": appeal.channel, "category": category, "emergency": emergency}
    if building is None:
        details["unlisted_address"] = appeal.address_text
    add_event(appeal.id, "registered", text, details, actor.id if actor else None)
    if appeal.channel == letters.CHANNEL:
        letters.on_registered(appeal, fields.get("received_at"))
    if emergency and building is not None:
        _report_missing(building.id, category, now)
    network = bool(fields.get("network"))
    data = {"appeal_id": appeal.id, "category": category, "emergency": emergency, "network": network,
            "topic": topic_of(text), "channel": appeal.channel, "refusals": 0, "escalation_level": 0}
    key, actor_id = f"appeal:{appeal.id}", actor.id if actor else None
    if failed_start is not None:
        instance = record_failed_start("appeal", data, failed_start, key, actor_id)
    else:
        # No savepoint of the run's own (register_appeal's covers it): the appeal's row and history are
        # written once with what its operations change.
        instance = start_process("appeal", data, key, actor_id, on_failure="raise")
    appeal.instance_id = instance.id
    return appeal


def _provisional_number() -> str:
    """A unique stand-in until the id gives the real number (later in the same transaction).

    The number column is unique: inserting the same stand-in ("") from concurrent registrations made
    each wait on PostgreSQL for the other's commit, so registrations ran one at a time.
    """
    return "~" + uuid.uuid4().hex[:19]


def _report_missing(building_id: int, category: str, at: datetime) -> None:
    """Residents still report the resource missing: a restoration just claimed is disputed (ledger evidence)."""
    services().outages.resident_reports_missing(building_id, resource_of(category), at)

