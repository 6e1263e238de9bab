"""Each building's permitted interruption from the deployed outage_limits.dmn (ПП 354, Приложение 1).

The table is evaluated again whenever a fact it reads changes (the indoor temperature is measured, the
kind is corrected), so the limits on record are those of the current facts. Facts the registry does not
know (power sources, indoor temperature) are passed as None: the table's rows then give the strictest limit.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine.decide import decide
from engine.errors import EngineError
from workflows.db import db
from workflows.errors import Conflict
from workflows.outages.models import Outage, OutageBuilding
from workflows.registry.models import Building
from workflows.runtime.definitions import latest_version

DECISION = "outage_limits"


@dataclass(frozen=True)
class Limit:
    single: float | None
    monthly: float | None
    counts_monthly: bool
    rule: str
    source: str
    reduction_per_hour: float | None


def facts(outage: Outage, power_sources: int | None, dead_end: bool, indoor: float | None) -> dict[str, Any]:
    """What the table reads about one building under this outage."""
    return {"resource": outage.resource, "kind": outage.kind, "power_sources": power_sources,
            "dead_end_hot_water": bool(dead_end), "on_network": bool(outage.network_accident),
            "indoor_temperature": indoor, "outdoor_temperature": outage.outdoor_temperature}


def indoor_of(outage: Outage, link: OutageBuilding) -> float | None:
    """The building's own measurement, else the one recorded for the whole outage, else unknown."""
    return link.indoor_temperature if link.indoor_temperature is not None else outage.indoor_temperature


def _table() -> bytes:
    version = latest_version(DECISION)
    if version is None:
        raise Conflict("таблица допустимых перерывов (outage_limits) не развёрнута")
    content: bytes = version.content
    return content


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def evaluate(table: bytes, data: dict[str, Any]) -> Limit:
    try:
        found = decide(table, DECISION, data)
    except EngineError as err:
        raise Conflict(f"таблица допустимых перерывов не вычисляется: {err}") from err
    return Limit(_number(found.get("single_limit")), _number(found.get("monthly_limit")),
                 found.get("counts_monthly") is not False, str(found.get("rule") or "предел не установлен"),
                 str(found.get("source") or ""), _number(found.get("reduction_per_hour")))


def apply_limits(outage: Outage) -> list[OutageBuilding]:
    """Store each building's limit, rule and source on its link; one evaluation per kind of building."""
    table = _table()
    rows = db.session.execute(select(OutageBuilding, Building.power_sources, Building.dead_end_hot_water)
                              .join(Building, Building.id == OutageBuilding.building_id)
                              .where(OutageBuilding.outage_id == outage.id)).all()
    seen: dict[tuple[int | None, bool, float | None], Limit] = {}
    links: list[OutageBuilding] = []
    for link, power, dead_end in rows:
        key = (power, bool(dead_end), indoor_of(outage, link))
        if key not in seen:
            seen[key] = evaluate(table, facts(outage, *key))
        limit = seen[key]
        link.single_limit_hours, link.monthly_limit_hours = limit.single, limit.monthly
        link.counts_monthly, link.limit_rule, link.limit_source = limit.counts_monthly, limit.rule, limit.source
        link.reduction_per_hour = limit.reduction_per_hour
        links.append(link)
    return links


def limit_words(hours: float | None) -> str:
    """A limit in Russian words: "4 ч", "10 мин", "14 сут."."""
    if hours is None:
        return "нет"
    if hours < 1:
        return f"{round(hours * 60):d} мин"
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} сут."
    return f"{hours:g} ч"


def distinct_rules(links: Sequence[OutageBuilding]) -> list[tuple[str, str]]:
    """The (rule, source) pairs the buildings of an outage were checked against, for the card."""
    return sorted({(link.limit_rule or "", link.limit_source or "") for link in links if link.limit_rule})
