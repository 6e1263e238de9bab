"""Which buildings an outage affects: ids, address ranges as people write them, or a district's supply."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from workflows.db import db
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building, BuildingSupplier

MAX_BUILDINGS = 20000  # below PostgreSQL's 65,535 bound parameters per statement
MAX_ADDRESSES = 500  # each address is parsed and matched: 10,000 took 7 s of CPU


def _ids(value: Any, errors: dict[str, Any]) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31
                                              for v in value):
        errors["building_ids"] = "список целых чисел"
        return []
    if len(value) > MAX_BUILDINGS:
        errors["building_ids"] = f"не больше {MAX_BUILDINGS} домов"
        return []
    found = set(db.session.scalars(select(Building.id).where(Building.id.in_(value))))
    missing = [v for v in value if v not in found]
    if missing:
        errors["building_ids"] = f"нет домов: {', '.join(map(str, missing[:20]))}"
    return [v for v in value if v in found]


def _addresses(value: Any, errors: dict[str, Any]) -> list[int]:
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(t, str) and 0 < len(t) <= 500 for t in texts):
        errors["addresses"] = "строка или список строк (до 500 символов)"
        return []
    if len(texts) > MAX_ADDRESSES:
        errors["addresses"] = f"не больше {MAX_ADDRESSES} адресов или диапазонов за раз"
        return []
    index = registry_index()
    ids: list[int] = []
    unknown: list[str] = []
    for text in texts:
        found = index.expand_range(text)
        if not found:
            resolved = index.resolve(text).building_id
            found = [resolved] if resolved is not None else []
        if not found:
            unknown.append(text)
        ids.extend(found)
    if unknown:
        errors["addresses"] = f"адреса не найдены: {'; '.join(unknown[:10])}"
    return ids


def district_supply(organization_id: int, resource: str, district: str) -> list[int]:
    """Every building the organisation supplies with `resource` in `district`."""
    query = (select(Building.id).join(BuildingSupplier, BuildingSupplier.building_id == Building.id)
             .where(BuildingSupplier.organization_id == organization_id, BuildingSupplier.resource == resource,
                    Building.district == district).order_by(Building.id))
    return list(db.session.scalars(query))


def resolve_scope(payload: dict[str, Any], organization_id: int | None, resource: str | None,
                  errors: dict[str, Any]) -> list[int]:
    """Building ids named by `building_ids`, `addresses` and/or `district` (deduplicated, in order)."""
    ids: list[int] = []
    if payload.get("building_ids") not in (None, []):
        ids += _ids(payload["building_ids"], errors)
    if payload.get("addresses") not in (None, "", []):
        ids += _addresses(payload["addresses"], errors)
    district = payload.get("district")
    if district not in (None, ""):
        if not isinstance(district, str) or organization_id is None or resource is None:
            errors.setdefault("district", "название района (вместе с organization_id и resource)")
        else:
            found = district_supply(organization_id, resource, district)
            if not found:
                errors["district"] = "в районе нет домов, которые организация снабжает этим ресурсом"
            ids += found
    unique = list(dict.fromkeys(ids))
    if not unique and not errors:
        errors["building_ids"] = "укажите building_ids, addresses или district"
    if len(unique) > MAX_BUILDINGS:
        errors["building_ids"] = f"не больше {MAX_BUILDINGS} домов"
    return unique


def buildings(ids: Sequence[int]) -> list[Building]:
    rows: list[Building] = []
    for start in range(0, len(ids), 900):
        rows += db.session.scalars(select(Building).where(Building.id.in_(ids[start:start + 900])))
    order = {bid: i for i, bid in enumerate(ids)}
    return sorted(rows, key=lambda b: order[b.id])
