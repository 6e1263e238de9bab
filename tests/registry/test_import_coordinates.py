"""The registry import takes optional `lat`/`lon`: checked, both or neither, surveyed (not approximate)."""
from __future__ import annotations

import pytest
from flask import Flask

from tests.registry.test_import import ORGS
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.registry.importer import import_buildings, import_organizations
from workflows.registry.models import Building

HEADER = "fias_guid;district;street_type;street;house;management_inn;lat;lon\n"


def test_coordinates_are_imported_with_a_point_or_a_comma(app: Flask) -> None:
    import_organizations(ORGS)
    import_buildings(HEADER + "g-1;Ленинский;ул;Советская;45;6829000001;52.7213;41.4523\n"
                              "g-2;Ленинский;ул;Советская;47;6829000001;\"52,7219\";\"41,4531\"\n"
                              "g-3;Ленинский;ул;Советская;49;6829000001;;\n")
    places = {b.fias_id: (b.lat, b.lon, b.geo_approximate) for b in db.session.query(Building)}
    assert places == {"g-1": (52.7213, 41.4523, False), "g-2": (52.7219, 41.4531, False), "g-3": (None, None, False)}


def test_bad_coordinates_refuse_the_file(app: Flask) -> None:
    import_organizations(ORGS)
    with pytest.raises(ValidationFailed) as refused:
        import_buildings(HEADER + "g-1;Ленинский;ул;Советская;45;6829000001;95;41.45\n"
                                  "g-2;Ленинский;ул;Советская;47;6829000001;52.7;\n"
                                  "g-3;Ленинский;ул;Советская;49;6829000001;север;41.4\n")
    messages = [e["message"] for e in refused.value.details["errors"]]
    assert "lat: вне диапазона ±90" in messages[0] and "вместе" in messages[1] and "не число" in messages[2]
    assert db.session.query(Building).count() == 0
