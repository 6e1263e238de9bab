"""One enumeration of utilities: the DMN tables, texts, screens, exports and the API all read it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from web.labels import supply_label
from web.openapi.outages import RESOURCES as OPENAPI_RESOURCES
from workflows import resources
from workflows.appeals import notify
from workflows.appeals.catalog import CATEGORIES, CODES
from workflows.outages import texts
from workflows.resources import Resource
from workflows.stats import geo

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
DMN = "{https://www.omg.org/spec/DMN/20191111/MODEL/}"
LITERAL = re.compile(r'"([^"]*)"')


def _input_values(path: Path, name: str) -> set[str]:
    """Every literal a rule of `path` matches on the input whose expression is `name`."""
    root = etree.parse(str(path)).getroot()
    ns = root.nsmap.get(None) or DMN.strip("{}")
    values: set[str] = set()
    for table in root.iter(f"{{{ns}}}decisionTable"):
        inputs = [i.findtext(f"{{{ns}}}inputExpression/{{{ns}}}text", "").strip()
                  for i in table.findall(f"{{{ns}}}input")]
        if name not in inputs:
            continue
        column = inputs.index(name)
        for rule in table.findall(f"{{{ns}}}rule"):
            entry = rule.findall(f"{{{ns}}}inputEntry")[column].findtext(f"{{{ns}}}text", "")
            values.update(LITERAL.findall(entry))
    return values


@pytest.mark.parametrize("table", sorted(p.name for p in BPMN.glob("*.dmn")))
def test_dmn_rules_name_only_known_resources_and_categories(table: str) -> None:
    path = BPMN / table
    assert _input_values(path, "resource") <= set(resources.RESOURCES)
    assert _input_values(path, "category") <= set(CODES)


def test_the_limits_table_has_a_rule_for_every_resource() -> None:
    assert _input_values(BPMN / "outage_limits.dmn", "resource") == set(resources.RESOURCES)


def test_sewerage_is_called_the_same_everywhere() -> None:
    assert Resource.SEWERAGE.label == "водоотведение"  # DOMAIN.md's word, never «канализация»
    for code in resources.RESOURCES:
        assert supply_label(code) == texts.RESOURCE_NAMES[code] == notify.RESOURCE_NAMES[code] \
            == geo.RESOURCE_NAMES[code] == resources.label(code)
        assert texts.RESOURCE_GENITIVE[code] == resources.genitive(code)
    assert list(resources.RESOURCES) == OPENAPI_RESOURCES


def test_categories_about_a_utility_point_at_the_enumeration() -> None:
    about = {c.code: c.resource for c in CATEGORIES if c.resource}
    assert set(about.values()) == set(resources.NETWORK_RESOURCES)
    assert all(isinstance(r, Resource) for r in about.values())
    assert resources.label("nonsense") == "nonsense" and resources.resource(None) is None
