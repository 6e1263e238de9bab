"""The address index over the building registry, rebuilt when the registry changes."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from workflows.addresses import AddressIndex, BuildingRecord
from workflows.db import db
from workflows.registry.models import Building

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], AddressIndex]] = {}


def _fingerprint() -> tuple[int, int]:
    count, top = db.session.execute(select(func.count(Building.id), func.max(Building.id))).one()
    return int(count or 0), int(top or 0)


def _records() -> list[BuildingRecord]:
    rows = db.session.execute(select(Building.id, Building.street_type, Building.street, Building.house,
                                     Building.korpus, Building.stroenie, Building.district))
    return [BuildingRecord(id=r[0], street_type=r[1], street=r[2], house=r[3], korpus=r[4] or "",
                           building=r[5] or "", district=r[6] or "") for r in rows]


def registry_index() -> AddressIndex:
    """The index for the current database; cached per database until a building is added or removed."""
    key = str(db.engine.url)
    fingerprint = _fingerprint()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    index = AddressIndex(_records())
    with _lock:
        _cache[key] = (fingerprint, index)
    return index
