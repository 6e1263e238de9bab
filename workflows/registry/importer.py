"""Import organisations and buildings from CSV (the shape of a ГИС ЖКХ registry export).

Every bad row is reported with its line and reason, and nothing is imported unless every row is good.
Columns are documented in docs/registry-import.md.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from connectors import phones
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.registry.models import (
    ORGANIZATION_KINDS,
    Building,
    BuildingSupplier,
    Organization,
    RolloutWave,
)
from workflows.registry.service import fold
from workflows.resources import RESOURCES

ORGANIZATION_COLUMNS = ("inn", "name", "kind", "resources", "phone")
BUILDING_COLUMNS = ("fias_guid", "district", "street_type", "street", "house", "korpus", "stroenie",
                    "management_inn", "floors", "flats", "power_sources", "dead_end_hot_water", "wave")
SUPPLIER_COLUMNS = tuple(f"{r}_inn" for r in RESOURCES)


class RowError(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def _rows(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed("в файле нет обязательных столбцов", {"errors": [
            {"line": 1, "message": f"нет столбца {c}"} for c in missing]})
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]


def _int(value: str, name: str, default: int | None = None) -> int | None:
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise RowError(f"{name}: не целое число {value!r}") from None


def _organization_by_inn(inn: str, name: str) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.inn == inn))
    if org is None:
        raise RowError(f"{name}: нет организации с ИНН {inn}")
    return org


def _apply_organization(row: dict[str, str], report: ImportReport) -> None:
    inn, name, kind = row["inn"], row["name"], row["kind"]
    if not inn.isdigit() or len(inn) not in (10, 12):
        raise RowError(f"inn: ИНН из 10 или 12 цифр, а не {inn!r}")
    if not name:
        raise RowError("name: пусто")
    if kind not in ORGANIZATION_KINDS:
        raise RowError(f"kind: одно из {', '.join(ORGANIZATION_KINDS)}")
    resources = [r.strip() for r in row.get("resources", "").replace(";", ",").split(",") if r.strip()]
    unknown = [r for r in resources if r not in RESOURCES]
    if unknown:
        raise RowError(f"resources: неизвестные ресурсы {', '.join(unknown)}")
    org = db.session.scalar(select(Organization).where(Organization.inn == inn))
    phone = phones.stored(row.get("phone"))
    if org is None:
        db.session.add(Organization(inn=inn, name=name, kind=kind, resources=resources, phone=phone))
        report.created += 1
    else:
        org.name, org.kind, org.resources, org.phone = name, kind, resources, phone or org.phone
        report.updated += 1
    db.session.flush()


def _wave(name: str) -> RolloutWave | None:
    if not name:
        return None
    wave = db.session.scalar(select(RolloutWave).where(RolloutWave.name == name))
    if wave is None:
        wave = RolloutWave(name=name, enabled=False)
        db.session.add(wave)
        db.session.flush()
    return wave


def _find_building(row: dict[str, str]) -> Building | None:
    if row.get("fias_guid"):
        found = db.session.scalar(select(Building).where(Building.fias_id == row["fias_guid"]))
        if found is not None:
            return found
    return db.session.scalar(select(Building).where(
        Building.street_type == row["street_type"], Building.street == row["street"], Building.house == row["house"],
        Building.korpus == row.get("korpus", ""), Building.stroenie == row.get("stroenie", "")))


def _apply_building(row: dict[str, str], report: ImportReport) -> None:
    for column in ("street_type", "street", "house", "management_inn"):
        if not row.get(column):
            raise RowError(f"{column}: пусто")
    manager = _organization_by_inn(row["management_inn"], "management_inn")
    if manager.kind not in ("uk", "tsj"):
        raise RowError("management_inn: это не УК и не ТСЖ")
    building = _find_building(row)
    if building is None:
        building = Building(street_type=row["street_type"], street=row["street"], house=row["house"])
        db.session.add(building)
        report.created += 1
    else:
        report.updated += 1
    building.fias_id = row.get("fias_guid") or building.fias_id
    building.korpus, building.stroenie = row.get("korpus", ""), row.get("stroenie", "")
    building.district = row.get("district", "")
    building.address = _address(row)
    building.search_text = fold(building.address)
    building.management_org_id = manager.id
    building.floors, building.flats = _int(row.get("floors", ""), "floors"), _int(row.get("flats", ""), "flats")
    building.power_sources = _int(row.get("power_sources", ""), "power_sources") or None  # empty: unknown
    building.dead_end_hot_water = row.get("dead_end_hot_water", "").lower() in ("1", "true", "да", "yes")
    building.wave = _wave(row.get("wave", ""))
    _apply_coordinates(building, row)
    _apply_suppliers(building, row)
    db.session.flush()


def _coordinate(value: str, name: str, limit: float) -> float | None:
    if value == "":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise RowError(f"{name}: не число {value!r}") from None
    if not -limit <= number <= limit:
        raise RowError(f"{name}: вне диапазона ±{limit:g}")
    return number


def _apply_coordinates(building: Building, row: dict[str, str]) -> None:
    """Optional `lat`/`lon` (WGS 84, a decimal point or comma): both or neither."""
    lat, lon = _coordinate(row.get("lat", ""), "lat", 90), _coordinate(row.get("lon", ""), "lon", 180)
    if (lat is None) != (lon is None):
        raise RowError("lat и lon указываются вместе")
    if lat is not None:
        building.lat, building.lon, building.geo_approximate = lat, lon, False


def _address(row: dict[str, str]) -> str:
    address = f"{row['street_type']} {row['street']}, д. {row['house']}"
    if row.get("korpus"):
        address += f" к. {row['korpus']}"
    if row.get("stroenie"):
        address += f" стр. {row['stroenie']}"
    return address


def _apply_suppliers(building: Building, row: dict[str, str]) -> None:
    wanted = {r: row[f"{r}_inn"] for r in RESOURCES if row.get(f"{r}_inn")}
    building.suppliers = [link for link in building.suppliers if link.resource in wanted]
    for resource, inn in wanted.items():
        org = _organization_by_inn(inn, f"{resource}_inn")
        link = next((s for s in building.suppliers if s.resource == resource), None)
        if link is None:
            building.suppliers.append(BuildingSupplier(resource=resource, organization_id=org.id))
        else:
            link.organization_id = org.id


Apply = Callable[[dict[str, str], ImportReport], None]


def _import(text: str, required: tuple[str, ...], apply: Apply) -> ImportReport:
    report = ImportReport()
    for line, row in _rows(text, required):
        savepoint = db.session.begin_nested()
        try:
            apply(row, report)
            savepoint.commit()
        except RowError as err:
            savepoint.rollback()
            report.errors.append({"line": line, "message": str(err)})
    if report.errors:
        db.session.rollback()
        raise ValidationFailed(f"{len(report.errors)} строк с ошибками; ничего не импортировано",
                               {"errors": report.errors})
    db.session.commit()
    return report


def import_organizations(text: str) -> ImportReport:
    return _import(text, ("inn", "name", "kind"), _apply_organization)


def import_buildings(text: str) -> ImportReport:
    return _import(text, ("street_type", "street", "house", "management_inn"), _apply_building)
