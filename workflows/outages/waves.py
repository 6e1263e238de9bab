"""Rollout waves managed on screen: create and name a wave, put buildings in it by district, management
company or address list, schedule its switch-on (the minute sweep turns it on), and its coverage."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from workflows import clock
from workflows.accounts.models import User
from workflows.audit import service as audit
from workflows.db import db
from workflows.errors import Conflict, NotFound, ValidationFailed
from workflows.outages.models import Representative
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building, Organization, RolloutWave

MAX_ADDRESSES = 500  # lines in one address list


@dataclass
class Placement:
    """What adding buildings to a wave did: how many moved in, and the address lines not recognised."""

    added: int = 0
    unresolved: list[str] = field(default_factory=list)


@dataclass
class WaveCoverage:
    wave: RolloutWave
    buildings: int
    with_representative: int
    without: list[Building]


def get_wave(wave_id: int) -> RolloutWave:
    wave = db.session.get(RolloutWave, wave_id)
    if wave is None:
        raise NotFound(f"нет волны {wave_id}")
    return wave


def _subject(wave: RolloutWave) -> str:
    return f"wave:{wave.id}"


def create_wave(name: str, actor: User | None) -> RolloutWave:
    """A new wave, switched off and empty; commits."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("волна не создана", {"name": "название от 1 до 200 символов"})
    if db.session.scalar(select(RolloutWave.id).where(RolloutWave.name == name)) is not None:
        raise ValidationFailed("волна не создана", {"name": "волна с таким названием уже есть"})
    wave = RolloutWave(name=name, enabled=False)
    db.session.add(wave)
    db.session.flush()
    audit.record("wave_create", _subject(wave), actor.id if actor else None, {"name": name})
    db.session.commit()
    return wave


def rename_wave(wave_id: int, name: str, actor: User | None) -> RolloutWave:
    wave, name = get_wave(wave_id), name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("название не изменено", {"name": "название от 1 до 200 символов"})
    clash = db.session.scalar(select(RolloutWave.id).where(RolloutWave.name == name, RolloutWave.id != wave_id))
    if clash is not None:
        raise ValidationFailed("название не изменено", {"name": "волна с таким названием уже есть"})
    audit.record("wave_rename", _subject(wave), actor.id if actor else None, {"from": wave.name, "to": name})
    wave.name = name
    db.session.commit()
    return wave


def add_buildings(wave_id: int, actor: User | None, district: str | None = None, organization_id: int | None = None,
                  addresses: list[str] | None = None) -> Placement:
    """Move buildings into the wave: a whole district, a management company's buildings, or listed addresses
    (each line resolved against the registry; lines it cannot pin to one building are returned). Commits."""
    wave = get_wave(wave_id)
    lines = [line.strip() for line in addresses or [] if line.strip()]
    if not district and organization_id is None and not lines:
        raise ValidationFailed("дома не добавлены", {"": "выберите район, управляющую компанию или впишите адреса"})
    if len(lines) > MAX_ADDRESSES:
        raise ValidationFailed("дома не добавлены", {"addresses": f"не больше {MAX_ADDRESSES} адресов за раз"})
    if organization_id is not None and db.session.get(Organization, organization_id) is None:
        raise ValidationFailed("дома не добавлены", {"organization_id": "нет такой организации"})
    ids: set[int] = set()
    if district:
        ids.update(db.session.scalars(select(Building.id).where(Building.district == district)))
    if organization_id is not None:
        ids.update(db.session.scalars(select(Building.id).where(Building.management_org_id == organization_id)))
    placement = Placement()
    index = registry_index() if lines else None
    for line in lines:
        found = index.resolve(line).building_id if index is not None else None
        if found is None:
            placement.unresolved.append(line)
        else:
            ids.add(found)
    moved = [b for b in db.session.scalars(select(Building).where(Building.id.in_(ids))) if b.wave_id != wave.id]
    for building in moved:
        building.wave_id = wave.id
    placement.added = len(moved)
    audit.record("wave_buildings", _subject(wave), actor.id if actor else None,
                 {"district": district, "organization_id": organization_id, "addresses": len(lines),
                  "added": [b.id for b in moved][:1000], "unresolved": placement.unresolved[:50]})
    db.session.commit()
    return placement


def schedule(wave_id: int, at: datetime | None, actor: User | None) -> RolloutWave:
    """Schedule (or, with None, cancel) the wave's switch-on; commits."""
    wave = get_wave(wave_id)
    if at is not None and wave.enabled:
        raise Conflict("волна уже включена")
    if at is not None and at <= clock.now():
        raise ValidationFailed("время не назначено", {"switch_on_at": "время включения должно быть в будущем"})
    wave.switch_on_at = at
    audit.record("wave_schedule", _subject(wave), actor.id if actor else None,
                 {"switch_on_at": at.isoformat() if at else None})
    db.session.commit()
    return wave


def switch(wave_id: int, enabled: bool, actor: User | None) -> RolloutWave:
    """Switch the wave on or off now (which cancels a scheduled switch-on); commits."""
    wave = get_wave(wave_id)
    wave.enabled, wave.switch_on_at = enabled, None
    audit.record("wave_on" if enabled else "wave_off", _subject(wave), actor.id if actor else None, {})
    db.session.commit()
    return wave


def switch_due_waves() -> int:
    """The minute sweep: waves whose scheduled time has come are switched on; returns how many."""
    due = list(db.session.scalars(select(RolloutWave).where(RolloutWave.enabled.is_(False),
                                                            RolloutWave.switch_on_at.is_not(None),
                                                            RolloutWave.switch_on_at <= clock.now())))
    for wave in due:
        audit.record("wave_on", _subject(wave), None, {"scheduled": wave.switch_on_at.isoformat()
                                                       if wave.switch_on_at else None})
        wave.enabled, wave.switch_on_at = True, None
    if due:
        db.session.commit()
    return len(due)


def coverage(wave_id: int, limit: int = 500) -> WaveCoverage:
    """The wave's buildings, how many have an active representative, and (up to `limit`) those without one."""
    wave = get_wave(wave_id)
    covered = select(Representative.building_id).where(Representative.active.is_(True))
    total = int(db.session.scalar(select(func.count(Building.id)).where(Building.wave_id == wave_id)) or 0)
    with_rep = int(db.session.scalar(select(func.count(Building.id)).where(
        Building.wave_id == wave_id, Building.id.in_(covered))) or 0)
    without = list(db.session.scalars(select(Building).where(Building.wave_id == wave_id, Building.id.not_in(covered))
                                      .order_by(Building.street, Building.house, Building.id).limit(limit)))
    return WaveCoverage(wave, total, with_rep, without)


def districts() -> list[str]:
    return [d for d in db.session.scalars(select(Building.district).distinct().order_by(Building.district)) if d]


@dataclass
class WaveRow:
    wave: RolloutWave
    buildings: int
    with_representative: int


def overview() -> list[WaveRow]:
    """Every wave with its building count and how many of them have an active representative."""
    covered = (select(Representative.building_id).where(Representative.active.is_(True)).distinct().subquery())
    rows = db.session.execute(
        select(RolloutWave, func.count(Building.id), func.count(covered.c.building_id))
        .outerjoin(Building, Building.wave_id == RolloutWave.id)
        .outerjoin(covered, covered.c.building_id == Building.id)
        .group_by(RolloutWave.id).order_by(RolloutWave.name))
    return [WaveRow(wave, int(total), int(with_rep)) for wave, total, with_rep in rows]


def buildings_without_wave() -> int:
    return int(db.session.scalar(select(func.count(Building.id)).where(Building.wave_id.is_(None))) or 0)
