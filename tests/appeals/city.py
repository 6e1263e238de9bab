"""A small city for appeal tests: two УК, suppliers per resource, a handful of buildings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workflows.db import db
from workflows.registry.models import Building, BuildingSupplier, Organization, RolloutWave
from workflows.registry.service import fold
from workflows.runtime.definitions import deploy

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


@dataclass
class City:
    uk1: Organization
    uk2: Organization
    tsj: Organization
    heat: Organization
    water: Organization
    power: Organization
    gas: Organization
    waste: Organization
    cgds: Organization
    city: Organization
    sovetskaya_45: Building
    sovetskaya_47: Building
    michurinskaya_112: Building
    tsj_house: Building


def _org(name: str, kind: str, resources: list[str]) -> Organization:
    org = Organization(name=name, kind=kind, resources=resources)
    db.session.add(org)
    return org


def deploy_bundled() -> None:
    files = sorted(BPMN.glob("*.dmn")) + sorted(BPMN.glob("*.bpmn"))
    deploy([(f.name, f.read_bytes()) for f in files])


def build_city() -> City:
    orgs = {
        "uk1": _org("ООО «УК Центральная»", "uk", []), "uk2": _org("ООО «УК Северная»", "uk", []),
        "tsj": _org("ТСЖ «Рассвет»", "tsj", []),
        "heat": _org("ПАО «Квадра»", "rso", ["heating", "hot_water"]),
        "water": _org("ООО «РКС-Тамбов»", "rso", ["cold_water", "sewerage"]),
        "power": _org("АО «ОРЭС-Тамбов»", "rso", ["electricity"]),
        "gas": _org("АО «Газпром газораспределение Тамбов»", "gas_emergency", ["gas"]),
        "waste": _org("АО «ТСК»", "rso", ["waste"]),
        "cgds": _org("ЦГДС", "cgds", []), "city": _org("Администрация", "city", []),
    }
    wave = RolloutWave(name="Волна 1", enabled=True)
    db.session.add(wave)
    db.session.flush()

    def building(street: str, house: str, manager: Organization) -> Building:
        address = f"ул. {street}, д. {house}"
        b = Building(street_type="ул", street=street, house=house, district="Ленинский", address=address,
                     search_text=fold(address), management_org_id=manager.id, wave_id=wave.id)
        for resource, key in (("heating", "heat"), ("hot_water", "heat"), ("cold_water", "water"),
                              ("sewerage", "water"), ("electricity", "power"), ("gas", "gas"), ("waste", "waste")):
            b.suppliers.append(BuildingSupplier(resource=resource, organization_id=orgs[key].id))
        db.session.add(b)
        return b

    houses = {"sovetskaya_45": building("Советская", "45", orgs["uk1"]),
              "sovetskaya_47": building("Советская", "47", orgs["uk1"]),
              "michurinskaya_112": building("Мичуринская", "112", orgs["uk2"]),
              "tsj_house": building("Интернациональная", "10", orgs["tsj"])}
    db.session.commit()
    deploy_bundled()
    return City(**orgs, **houses)
