"""The utilities (коммунальные ресурсы): one enumeration, its codes and its Russian words.

Every list of resources (the registry's suppliers, outages, incidents, the resident bot's menu, texts,
screens, exports, the OpenAPI document, the DMN tables' rules) is this one. Names follow DOMAIN.md's
categories (водоотведение, электроснабжение); the grammatical forms are the same word declined.
The order is the registry's (supplier columns `<code>_inn`); `PUBLIC_ORDER` is the order people read.
"""
from __future__ import annotations

from enum import StrEnum


class Resource(StrEnum):
    COLD_WATER = "cold_water"
    HOT_WATER = "hot_water"
    SEWERAGE = "sewerage"
    ELECTRICITY = "electricity"
    GAS = "gas"
    HEATING = "heating"
    WASTE = "waste"

    @property
    def label(self) -> str:
        """Nominative, lower case: «холодная вода»."""
        return _WORDS[self][0]

    @property
    def genitive(self) -> str:
        """«отключение холодной воды»."""
        return _WORDS[self][1]

    @property
    def accusative(self) -> str:
        """«поставляет холодную воду»."""
        return _WORDS[self][2]


_WORDS: dict[Resource, tuple[str, str, str]] = {
    Resource.COLD_WATER: ("холодная вода", "холодной воды", "холодную воду"),
    Resource.HOT_WATER: ("горячая вода", "горячей воды", "горячую воду"),
    Resource.SEWERAGE: ("водоотведение", "водоотведения", "водоотведение"),
    Resource.ELECTRICITY: ("электроснабжение", "электроснабжения", "электроснабжение"),
    Resource.GAS: ("газ", "газа", "газ"),
    Resource.HEATING: ("отопление", "отопления", "отопление"),
    Resource.WASTE: ("вывоз ТКО", "вывоза ТКО", "вывоз ТКО"),
}

RESOURCES: tuple[str, ...] = tuple(r.value for r in Resource)
# Supplied through networks (an incident or a resident's «нет подачи» is about one of these); not waste.
NETWORK_RESOURCES: tuple[Resource, ...] = (Resource.HEATING, Resource.HOT_WATER, Resource.COLD_WATER,
                                          Resource.SEWERAGE, Resource.ELECTRICITY, Resource.GAS)
PUBLIC_ORDER: tuple[str, ...] = tuple(r.value for r in NETWORK_RESOURCES)


def resource(code: str | None) -> Resource | None:
    """The resource a stored code names, or None for an unknown or empty code."""
    try:
        return Resource(code or "")
    except ValueError:
        return None


def label(code: str | None) -> str:
    """«водоотведение» for a code; an unknown code is shown as it is."""
    found = resource(code)
    return found.label if found else (code or "")


def genitive(code: str | None) -> str:
    found = resource(code)
    return found.genitive if found else (code or "")


def accusative(code: str | None) -> str:
    found = resource(code)
    return found.accusative if found else (code or "")


def names() -> dict[str, str]:
    """Code → nominative label, for templates and selects."""
    return {r.value: r.label for r in Resource}


def genitives() -> dict[str, str]:
    return {r.value: r.genitive for r in Resource}
