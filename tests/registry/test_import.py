"""CSV import: good files import fully, any bad row imports nothing and names its line."""
from __future__ import annotations

import pytest
from flask import Flask

from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.registry.importer import import_buildings, import_organizations
from workflows.registry.models import Building, Organization

ORGS = """inn;name;kind;resources;phone
6829000001;ООО «УК Центральная»;uk;;+7 4752 00-00-01
6829000002;ООО «РКС-Тамбов»;rso;cold_water,sewerage;+7 4752 00-00-02
6829000003;ПАО «Квадра»;rso;heating,hot_water;
"""
HEADER = ("fias_guid;district;street_type;street;house;korpus;stroenie;management_inn;floors;flats;"
          "power_sources;dead_end_hot_water;wave;cold_water_inn;sewerage_inn;heating_inn;hot_water_inn\n")
BUILDINGS = HEADER + (
    "g-1;Ленинский;ул;Советская;45;;;6829000001;9;108;2;0;Волна 1;6829000002;6829000002;6829000003;6829000003\n"
) + """g-2;Октябрьский;ул;Мичуринская;112;2;;6829000001;5;60;1;1;Волна 2;6829000002;6829000002;;
"""


def test_organizations_and_buildings_import_with_suppliers(app: Flask) -> None:
    assert import_organizations(ORGS).created == 3
    report = import_buildings(BUILDINGS)
    assert (report.created, report.updated) == (2, 0)
    building = db.session.query(Building).filter_by(fias_id="g-2").one()
    assert building.address == "ул Мичуринская, д. 112 к. 2" and building.dead_end_hot_water
    assert building.supplier_for("cold_water").name == "ООО «РКС-Тамбов»"
    assert building.supplier_for("heating") is None
    again = import_buildings(BUILDINGS)
    assert (again.created, again.updated) == (0, 2)


def test_a_bad_row_imports_nothing_and_names_its_line(app: Flask) -> None:
    import_organizations(ORGS)
    broken = BUILDINGS + "g-3;Советский;ул;Рабочая;;;;6829000001;x;;;;;;;;\n" \
                         "g-4;Советский;ул;Рабочая;7;;;6829999999;;;;;;;;;\n"
    with pytest.raises(ValidationFailed) as refused:
        import_buildings(broken)
    errors = refused.value.details["errors"]
    assert [e["line"] for e in errors] == [4, 5]
    assert "house" in errors[0]["message"] and "6829999999" in errors[1]["message"]
    assert db.session.query(Building).count() == 0


def test_bad_organizations_and_missing_columns_are_refused(app: Flask) -> None:
    with pytest.raises(ValidationFailed) as bad_kind:
        import_organizations("inn;name;kind\n6829000001;УК;bank\n123;УК;uk\n")
    assert [e["line"] for e in bad_kind.value.details["errors"]] == [2, 3]
    with pytest.raises(ValidationFailed):
        import_buildings("street;house\nСоветская;1\n")
    assert db.session.query(Organization).count() == 0


def test_cli_imports_and_reports_errors(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("\ufeff" + ORGS, encoding="utf-8")
    assert runner.invoke(args=["registry", "import", "organizations", str(orgs)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("inn;name;kind\n1;x;uk\n", encoding="utf-8")
    result = runner.invoke(args=["registry", "import", "organizations", str(bad)])
    assert result.exit_code == 1 and "строка 2" in result.output
