"""The demo city: Tambov streets, the real resource suppliers, synthetic management companies.

Also a generator of synthetic cities of any size for benchmarks (`generate_city`).
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from workflows.accounts.models import User
from workflows.accounts.service import hash_password
from workflows.addresses import load_tambov_streets
from workflows.db import db, insert_rows
from workflows.demo_life.geo import place_buildings
from workflows.demo_life.history import write_history
from workflows.outages.models import Consent, Representative
from workflows.outages.representatives import CONSENT_VERSION
from workflows.registry.models import Building, BuildingSupplier, Organization, RolloutWave
from workflows.registry.service import fold
from workflows.runtime.bundled import deploy_bundled

log = logging.getLogger(__name__)
BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"
DISTRICTS = ("Ленинский", "Октябрьский", "Советский")

SUPPLIERS = [
    # name, kind, resources, districts it serves (None: all)
    ("ПАО «Квадра» — «Тамбовская генерация»", "rso", ["heating", "hot_water"], ("Ленинский", "Советский")),
    ("МУП «Тамбовтеплосервис»", "rso", ["heating", "hot_water"], ("Октябрьский",)),
    ("ООО «РКС-Тамбов»", "rso", ["cold_water", "sewerage"], None),
    ("АО «ОРЭС-Тамбов»", "rso", ["electricity"], None),
    ("АО «Газпром газораспределение Тамбов»", "gas_emergency", ["gas"], None),
    ("АО «ТСК»", "rso", ["waste"], None),
]
MANAGERS = [("ООО «УК Центральная»", "uk"), ("ООО «УК Северная»", "uk"), ("ООО «УК Цна»", "uk"),
            ("ООО «Жилищный стандарт»", "uk"), ("ООО «УК Согласие»", "uk"), ("ООО «Уютный дом»", "uk"),
            ("ТСЖ «Мичуринское»", "tsj"), ("ТСЖ «Рассвет»", "tsj")]
FALLBACK_STREETS = [("ул.", "Советская", "Ленинский"), ("ул.", "Мичуринская", "Октябрьский"),
                    ("ул.", "Интернациональная", "Ленинский"), ("ул.", "Коммунальная", "Ленинский"),
                    ("ул.", "Пензенская", "Октябрьский"), ("ул.", "Карла Маркса", "Советский"),
                    ("пр-т", "Мира", "Советский"), ("ул.", "Рабочая", "Советский")]


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    role: str


def _streets() -> list[tuple[str, str, str]]:
    rows = [(r.street_type, r.street, r.district or DISTRICTS[i % 3]) for i, r in enumerate(load_tambov_streets())]
    return rows or FALLBACK_STREETS


def _format(street_type: str, street: str, house: str) -> str:
    return f"{street_type} {street}, д. {house}"


def _house_numbers(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(house, korpus) pairs; past 170 houses a street grows корпуса, so a city can be of any size."""
    numbers = sorted(rng.sample(range(1, 180), min(count, 170)))
    houses = [(f"{n}{rng.choice(['', '', '', '', 'а', 'б'])}", "") for n in numbers]
    extra = [(houses[i % len(houses)][0], str(1 + i // len(houses))) for i in range(max(0, count - len(houses)))]
    return houses + extra


def _organizations() -> tuple[dict[str, Organization], list[Organization]]:
    suppliers: dict[str, Organization] = {}
    for name, kind, resources, _ in SUPPLIERS:
        org = Organization(name=name, kind=kind, resources=resources, phone="+7 4752 00-00-00")
        db.session.add(org)
        suppliers[name] = org
    managers = [Organization(name=n, kind=k, resources=[], phone="+7 4752 11-22-33") for n, k in MANAGERS]
    db.session.add_all(managers)
    db.session.add(Organization(name="ЦГДС г. Тамбова", kind="cgds", resources=[], phone="+7 4752 72-34-75"))
    db.session.add(Organization(name="Администрация г. Тамбова", kind="city", resources=[]))
    db.session.flush()
    return suppliers, managers


def _waves() -> dict[str, RolloutWave]:
    waves = {d: RolloutWave(name=f"Волна {i + 1}: {d} район", enabled=(i < 2)) for i, d in enumerate(DISTRICTS)}
    db.session.add_all(waves.values())
    db.session.flush()
    return waves


def generate_city(buildings: int, seed: int = 2026) -> int:
    """Create organisations, waves and `buildings` buildings (no commit). Returns how many were made.

    The buildings and their suppliers go in through Core, many rows per statement (COPY on PostgreSQL): a city
    of 21,000 buildings is made in seconds, not the minute the ORM's unit of work took."""
    rng = random.Random(seed)
    suppliers, managers = _organizations()
    waves = _waves()
    streets = _streets()
    rows: list[dict[str, Any]] = []
    links: list[list[tuple[str, int]]] = []  # per building: (resource, supplier's id)
    per_street = max(4, buildings // len(streets) + 1)
    # the three central streets always get a good share of the demo buildings
    ordered = sorted(streets, key=lambda s: s[1] not in ("Советская", "Мичуринская", "Интернациональная"))
    for street_type, street, district in ordered:
        count = per_street * 3 if street in ("Советская", "Мичуринская", "Интернациональная") else per_street
        houses = _house_numbers(rng, count)
        if street == "Советская" and ("45", "") not in houses:
            houses[0] = ("45", "")
        for house, korpus in houses:
            if len(rows) >= buildings:
                break
            row, supplied = _building(rng, street_type, street, house, korpus, district, managers, suppliers, waves)
            rows.append(row)
            links.append(supplied)
        if len(rows) >= buildings:
            break
    _insert_buildings(rows, links)
    return len(rows)


def _building(rng: random.Random, street_type: str, street: str, house: str, korpus: str, district: str,
              managers: list[Organization], suppliers: dict[str, Organization],
              waves: dict[str, RolloutWave]) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """A building's row and its suppliers (resource, organisation id)."""
    district = district if district in DISTRICTS else DISTRICTS[hash(street) % 3]
    address = _format(street_type, street, house) + (f" к. {korpus}" if korpus else "")
    row = {"street_type": street_type, "street": street, "house": house, "korpus": korpus, "stroenie": "",
           "district": district, "address": address, "search_text": fold(address),
           "management_org_id": rng.choice(managers).id, "wave_id": waves[district].id,
           "floors": rng.choice([5, 5, 9, 9, 10, 12, 16]), "flats": rng.choice([40, 60, 72, 108, 144]),
           "power_sources": rng.choice([1, 2, None]), "dead_end_hot_water": rng.random() < 0.1,
           "geo_approximate": False}
    supplied = [(resource, suppliers[name].id) for name, _, resources, districts in SUPPLIERS
                if districts is None or district in districts for resource in resources]
    return row, supplied


def _insert_buildings(rows: list[dict[str, Any]], links: list[list[tuple[str, int]]]) -> None:
    """Insert the buildings, then their suppliers by the ids the address (unique) was given."""
    insert_rows(Building.__table__, rows)
    key = (Building.street_type, Building.street, Building.house, Building.korpus, Building.stroenie)
    ids = {tuple(found): building_id for building_id, *found in db.session.execute(select(Building.id, *key))}
    insert_rows(BuildingSupplier.__table__, [
        {"building_id": ids[row["street_type"], row["street"], row["house"], row["korpus"], row["stroenie"]],
         "resource": resource, "organization_id": organization_id}
        for row, supplied in zip(rows, links, strict=True) for resource, organization_id in supplied])


def _demo_users() -> list[DemoLogin]:
    orgs = {o.kind: o for o in db.session.scalars(select(Organization))}
    first_uk = db.session.scalar(select(Organization).where(Organization.kind == "uk").order_by(Organization.id))
    rso = db.session.scalar(select(Organization).where(Organization.name.like("%РКС%")))
    people = [
        ("admin", "admin", None, "Администратор"), ("dispatcher", "dispatcher", orgs.get("cgds"), "Иванова А. П."),
        ("coordinator", "coordinator", orgs.get("cgds"), "Петров С. Н."), ("official", "official", orgs.get("city"),
                                                                             "Сидоров В. М."),
        ("designer", "designer", None, "Кузнецова Е. В."), ("uk_staff", "org_staff", first_uk, "Смирнов Д. А."),
        ("uk_head", "org_head", first_uk, "Орлова Н. И."), ("rks_staff", "org_staff", rso, "Фёдоров К. Л."),
        ("rks_head", "org_head", rso, "Волков Г. Р."),
    ]
    logins = []
    for login, role, org, name in people:
        password = f"{login}-demo-2026"
        if db.session.scalar(select(User).where(User.login == login)) is None:
            db.session.add(User(login=login, role=role, organization_id=org.id if org else None, full_name=name,
                                password_hash=hash_password(password)))
        logins.append(DemoLogin(login, password, role))
    return logins


def deploy_bundled_diagrams() -> list[str]:
    """Deploy bpmn/ where no person deployed or activated a version of that process (workflows/runtime/bundled)."""
    files = sorted(BPMN_DIR.glob("*.dmn")) + sorted(BPMN_DIR.glob("*.bpmn"))
    if not files:
        return []
    outcome = deploy_bundled(files)
    return outcome.deployed + [f"{key}: оставлена версия, выбранная человеком" for key in outcome.kept] + [
        f"не развёрнуто: {reason}" for reason in outcome.refused]


REP_CHANNELS = ("telegram", "telegram", "max", "max", "vk", "email", "sms")
FIRST_NAMES = ("Анна", "Ольга", "Сергей", "Наталья", "Виктор", "Елена", "Игорь", "Татьяна", "Михаил", "Галина")
LAST_INITIALS = "АБВГДЕЖЗИКЛМНОПРСТ"


def _rep_address(channel: str, n: int) -> str:
    if channel == "email":
        return f"dom{n}@example.org"
    if channel == "sms":
        return f"+7910{n:07d}"
    return str(700000000 + n)


def generate_representatives(share: float = 0.6, seed: int = 2026) -> int:
    """Chairs and active residents for a share of the buildings, each with a consent record (no commit)."""
    rng, made = random.Random(seed), 0
    for building_id in db.session.scalars(select(Building.id).order_by(Building.id)):
        if rng.random() > share:
            continue
        for slot in range(rng.choice((1, 1, 2, 3))):
            channel = rng.choice(REP_CHANNELS)
            rep = Representative(building_id=building_id, role="chair" if slot == 0 else "active_resident",
                                 name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.", channel=channel,
                                 address=_rep_address(channel, made), active=True)
            db.session.add(rep)
            db.session.flush()
            db.session.add(Consent(representative_id=rep.id, text_version=CONSENT_VERSION, channel="api"))
            made += 1
    return made


def load_demo(buildings: int = 500, history_days: int = 0) -> list[tuple[str, str, str]]:
    """Load the demo city once (a second run only refreshes the diagrams and prints the logins).

    With `history_days`, also write that many days of the city's life (once per database).
    """
    if db.session.scalar(select(Organization).limit(1)) is None:
        generate_city(buildings)
        generate_representatives()
        place_buildings()
    logins = _demo_users()
    db.session.commit()
    for line in deploy_bundled_diagrams():
        log.warning("диаграммы из bpmn/: %s", line)
    if history_days > 0:
        write_history(current_app._get_current_object(), days=history_days)  # type: ignore[attr-defined]
    return [(d.login, d.password, d.role) for d in logins]
