"""Registering, changing and restoring outages — each one transaction, owned here."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.models import Incident
from workflows.appeals.network import lock_outage_scope, outage_incident
from workflows.appeals.operations import close_incident
from workflows.db import db
from workflows.errors import Conflict
from workflows.integrations.events import emit_outage_event
from workflows.outages import validation
from workflows.outages.access import check_manage, get_outage
from workflows.outages.checks import recheck
from workflows.outages.input import OUTAGE_PREVIEW, OUTAGE_RESTORE, OUTAGE_UPDATE
from workflows.outages.models import LIVE_STATUSES, Outage, OutageBuilding
from workflows.outages.queries import outage_to_dict
from workflows.outages.scope import buildings, resolve_scope
from workflows.outages.texts import summarize
from workflows.registry.models import Building
from workflows.runtime.instances import commit
from workflows.runtime.messages import correlate_message
from workflows.runtime.starts import start_process
from workflows.validation import errors_of

REMIND_BEFORE = timedelta(days=1)


def preview(payload: dict[str, Any], actor: User | None) -> list[Building]:
    """The buildings a registration with this payload would affect (nothing is stored)."""
    fields = validation.outage_fields(payload, actor)
    errors = fields["errors"]
    org = fields["organization"]
    ids = resolve_scope(payload, org.id if org else None, fields["resource"], errors)
    # the preview's own schema, then what reading the scope found (outage_fields' other errors wait for registration)
    scope_errors = {k: v for k, v in errors.items() if k in OUTAGE_PREVIEW["properties"]}
    validation.fail_if({**errors_of(OUTAGE_PREVIEW, payload), **scope_errors}, "дома не определены")
    return buildings(ids)


def check_registration(payload: dict[str, Any], actor: User | None) -> None:
    """Raise ValidationFailed with every field error register_outage would give (nothing is stored)."""
    fields = validation.outage_fields(payload, actor)
    org = fields["organization"]
    resolve_scope(payload, org.id if org else None, fields["resource"], fields["errors"])
    validation.fail_if(fields["errors"], "отключение не может быть зарегистрировано")


def _profiles(affected: list[Building]) -> list[dict[str, Any]]:
    seen = {(b.power_sources, bool(b.dead_end_hot_water)) for b in affected}  # None: unknown
    return [{"power_sources": p, "dead_end_hot_water": d} for p, d in sorted(seen, key=lambda x: (x[0] or 0, x[1]))]


def register_outage(payload: dict[str, Any], actor: User | None) -> Outage:
    """Store the outage and its buildings and start its process (checks, approval, notices); commits."""
    outage = create_outage(payload, actor)
    commit()
    return outage


def create_outage(payload: dict[str, Any], actor: User | None) -> Outage:
    """register_outage without the commit, for callers that own the transaction (a confirmed suspicion).

    Appeals about these buildings and this resource wait while it runs (network.lock_outage_scope), so
    one arriving meanwhile joins the outage instead of staying outside it.
    """
    fields = validation.outage_fields(payload, actor)
    errors = fields["errors"]
    org = fields["organization"]
    external_id = _external_id(payload, errors)
    existing = _by_external_id(org.id if org else None, external_id)
    if existing is not None:
        return existing
    ids = resolve_scope(payload, org.id if org else None, fields["resource"], errors)
    validation.fail_if(errors, "отключение не может быть зарегистрировано")
    lock_outage_scope(fields["resource"], sorted(ids))
    affected = buildings(ids)
    now = clock.now()
    outage = Outage(
        organization_id=org.id, external_id=external_id,
        kind=fields["kind"], resource=fields["resource"], status="registered",
        description=fields["description"], contact_phone=fields["contact_phone"], starts_at=fields["starts_at"],
        ends_at=fields["ends_at"], original_ends_at=fields["ends_at"],
        outdoor_temperature=fields["outdoor_temperature"], indoor_temperature=fields["indoor_temperature"],
        indoor_temperature_at=now if fields["indoor_temperature"] is not None else None,
        network_accident=fields["network_accident"],
        building_count=len(affected), districts=sorted({b.district for b in affected if b.district}),
        summary=summarize(affected), scope={k: payload[k] for k in ("building_ids", "addresses", "district")
                                            if payload.get(k) not in (None, "", [])},
        created_by_id=actor.id if actor else None, created_at=now, updated_at=now)
    db.session.add(outage)
    db.session.flush()
    db.session.execute(insert(OutageBuilding), [{"outage_id": outage.id, "building_id": b.id,
                                                 "resource": outage.resource, "notified": False} for b in affected])
    instance = start_process("outage", _process_data(outage, affected), business_key=f"outage:{outage.id}",
                             actor_id=actor.id if actor else None)
    outage.instance_id = instance.id
    if outage.starts_at <= now:  # running already: its incident takes over the appeals about it
        outage_incident(outage.id)
    emit_outage_event(outage, "registered", outage_to_dict)
    return outage


def _external_id(payload: dict[str, Any], errors: dict[str, Any]) -> str | None:
    raw = payload.get("external_id")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str | int) or isinstance(raw, bool) or len(str(raw)) > 200:
        errors["external_id"] = "строка до 200 символов"
        return None
    return str(raw)


def _by_external_id(organization_id: int | None, external_id: str | None) -> Outage | None:
    """The outage this organisation already registered under `external_id` (issue 6: idempotent creates)."""
    if organization_id is None or external_id is None:
        return None
    found: Outage | None = db.session.scalar(select(Outage).where(
        Outage.organization_id == organization_id, Outage.external_id == external_id))
    return found


def _process_data(outage: Outage, affected: list[Building]) -> dict[str, Any]:
    remind_at = outage.starts_at - REMIND_BEFORE
    planned_ahead = outage.kind in ("planned", "maintenance") and remind_at > clock.now()
    return {"outage_id": outage.id, "organization_id": outage.organization_id, "kind": outage.kind,
            "resource": outage.resource, "affected_count": len(affected), "profiles": _profiles(affected),
            "limits": [], "outdoor_temperature": outage.outdoor_temperature,
            "indoor_temperature": outage.indoor_temperature, "on_network": outage.network_accident,
            "remind_at": remind_at.isoformat() if planned_ahead else None}


def _live(outage: Outage) -> None:
    if outage.status not in LIVE_STATUSES:
        raise Conflict(f"отключение уже {'восстановлено' if outage.status == 'restored' else 'отклонено'}")


def _outage_incidents(outage_id: int) -> list[Incident]:
    return list(db.session.scalars(select(Incident).where(Incident.outage_id == outage_id,
                                                          Incident.status == "open")))


def update_outage(outage_id: int, payload: dict[str, Any], actor: User | None) -> Outage:
    """A new expected end and/or description; the representatives get one update each."""
    outage = get_outage(outage_id, actor)
    check_manage(actor, outage)
    _live(outage)
    errors: dict[str, Any] = errors_of(OUTAGE_UPDATE, payload)
    ends_at = validation.parse_time(payload.get("ends_at"), "ends_at", errors, required=False) \
        if "ends_at" not in errors else None
    description = payload.get("description") if "description" not in errors else None
    description = description.strip() if isinstance(description, str) else None
    if ends_at is not None and not outage.starts_at < ends_at <= outage.starts_at + validation.MAX_DURATION:
        errors["ends_at"] = "позже начала отключения и не больше чем через год после него"
    if ends_at is None and description is None and not errors:
        errors["ends_at"] = "укажите новый ends_at и/или description"
    validation.fail_if(errors, "отключение не может быть изменено")
    if ends_at is not None:
        outage.ends_at, outage.overdue_at = ends_at, None
        for incident in _outage_incidents(outage.id):
            incident.expected_end = ends_at
    if description is not None:
        outage.description = description
    outage.revision += 1
    outage.updated_at = clock.now()
    recheck(outage)
    correlate_message("outage_updated", {"outage_id": outage.id},
                      {"outage_id": outage.id, "ends_at": outage.ends_at.isoformat(), "revision": outage.revision},
                      actor_id=actor.id if actor else None, autocommit=False)
    emit_outage_event(outage, "updated", outage_to_dict)
    commit()
    return outage


def restore_outage(outage_id: int, payload: dict[str, Any], actor: User | None) -> Outage:
    """Supply is back: the representatives get a notice with "Есть" / "Нет"; joined appeals hear it too."""
    outage = get_outage(outage_id, actor)
    check_manage(actor, outage)
    _live(outage)
    errors: dict[str, Any] = errors_of(OUTAGE_RESTORE, payload)
    restored_at = validation.parse_time(payload.get("restored_at"), "restored_at", errors, required=False) \
        if "restored_at" not in errors else None
    now = clock.now()
    if restored_at is not None and restored_at > now + timedelta(minutes=5):
        errors["restored_at"] = "не может быть в будущем"
    elif restored_at is not None and restored_at < outage.starts_at:
        errors["restored_at"] = "не может быть раньше начала отключения"
    validation.fail_if(errors, "восстановление не может быть записано")
    outage.restored_at = restored_at or now
    outage.status, outage.updated_at = "restored", now
    recheck(outage)
    for incident in _outage_incidents(outage.id):
        close_incident(incident.id, f"подача восстановлена: отключение № {outage.id}")
    correlate_message("outage_restored", {"outage_id": outage.id}, {"outage_id": outage.id},
                      actor_id=actor.id if actor else None, autocommit=False)
    emit_outage_event(outage, "restored", outage_to_dict)
    commit()
    return outage
