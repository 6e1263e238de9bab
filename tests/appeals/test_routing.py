"""Routing: routing.dmn and the registry send each appeal to the organisation responsible."""
from __future__ import annotations

import pytest
from flask import Flask

from tests.appeals.city import City
from tests.registering import register_appeal
from workflows.db import db
from workflows.runtime.models import HumanTask

CASES = [
    # category, emergency, building, expected organisation attribute of City (None: ЦГДС chooses)
    ("roof", False, "sovetskaya_45", "uk1"),
    ("elevator", True, "sovetskaya_45", "uk1"),
    ("entrance", False, "michurinskaya_112", "uk2"),
    ("heating", False, "michurinskaya_112", "uk2"),
    ("heating", True, "tsj_house", "tsj"),
    ("hot_water", True, "sovetskaya_47", "uk1"),
    ("sewerage", True, "michurinskaya_112", "uk2"),
    ("gas", True, "sovetskaya_45", "gas"),
    ("gas", False, "michurinskaya_112", "gas"),
    ("waste", False, "sovetskaya_47", "waste"),
    ("billing", False, "tsj_house", "tsj"),
    ("garbage_chute", False, "sovetskaya_47", "uk1"),
    ("yard", False, "michurinskaya_112", "uk2"),
    ("other", False, "sovetskaya_45", None),
]


@pytest.mark.parametrize(("category", "emergency", "house", "expected"), CASES)
def test_appeal_goes_to_the_responsible_organisation(app: Flask, city: City, category: str, emergency: bool,
                                                    house: str, expected: str | None) -> None:
    building = getattr(city, house)
    appeal = register_appeal({"text": "Проблема", "channel": "phone", "building_id": building.id,
                              "category": category, "emergency": emergency}).appeal
    task = db.session.query(HumanTask).filter_by(instance_id=appeal.instance_id, status="open").one()
    if expected is None:
        assert appeal.organization_id is None and task.name == "reroute"
        assert set(task.role_list) == {"dispatcher", "coordinator"}
    else:
        organization = getattr(city, expected)
        assert appeal.organization_id == organization.id
        assert task.name == "accept" and task.organization_id == organization.id


def test_network_problems_during_an_outage_go_to_the_supplier(app: Flask, city: City) -> None:
    from workflows.appeals.routing import responsible_organization

    building = city.sovetskaya_45
    assert responsible_organization(building, "cold_water", "rso").id == city.water.id
    assert responsible_organization(building, "heating", "rso").id == city.heat.id
    assert responsible_organization(building, "electricity", "rso").id == city.power.id
