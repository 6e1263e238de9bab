"""The Open311 service list and service definitions: our category catalogue with its attributes."""
from __future__ import annotations

from typing import Any

from workflows.appeals.catalog import BY_CODE, CATEGORIES, Category
from workflows.errors import ValidationFailed
from workflows.ids import digits

GROUPS = {"heating": "Коммунальные ресурсы", "hot_water": "Коммунальные ресурсы",
          "cold_water": "Коммунальные ресурсы", "sewerage": "Коммунальные ресурсы",
          "electricity": "Коммунальные ресурсы", "gas": "Коммунальные ресурсы", "waste": "Коммунальные ресурсы",
          "billing": "Начисления и управление", "management": "Начисления и управление",
          "capital_repair": "Начисления и управление"}
DEFAULT_GROUP = "Содержание дома"
YES_NO = [{"key": "yes", "name": "Да"}, {"key": "no", "name": "Нет"}]


def service_category(code: Any) -> Category:
    """The category for a service_code; ValidationFailed (400 in Open311) when unknown."""
    category = BY_CODE.get(code) if isinstance(code, str) else None
    if category is None:
        raise ValidationFailed(f"услуга service_code {code!r} не найдена", {"service_code": "нет такой услуги"})
    return category


def service_entry(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "service_name": category.name,
            "description": _description(category), "metadata": True, "type": "realtime",
            "keywords": ", ".join(category.cues), "group": GROUPS.get(category.code, DEFAULT_GROUP)}


def _description(category: Category) -> str:
    if category.emergencies:
        return f"{category.name}. Аварийные случаи: {', '.join(category.emergencies)}."
    return f"{category.name}."


def service_list() -> list[dict[str, Any]]:
    return [service_entry(c) for c in CATEGORIES]


def _attribute(code: str, order: int, description: str, datatype: str, values: list[dict[str, Any]] | None = None,
               required: bool = False) -> dict[str, Any]:
    return {"variable": True, "code": code, "datatype": datatype, "required": required,
            "datatype_description": None, "order": order, "description": description, "values": values or []}


def service_definition(code: Any) -> dict[str, Any]:
    category = service_category(code)
    attributes = [_attribute("emergency", 1, "Авария: угроза жизни, здоровью или имуществу?", "singlevaluelist",
                             YES_NO)]
    if category.emergencies:
        kinds = [{"key": str(i), "name": name} for i, name in enumerate(category.emergencies, start=1)]
        attributes.append(_attribute("emergency_kind", 2, "Что случилось (аварийный случай)", "singlevaluelist",
                                     kinds))
    attributes.append(_attribute("flat", len(attributes) + 1, "Номер квартиры (не публикуется)", "string"))
    return {"service_code": category.code, "attributes": attributes}


def emergency_from(category: Category, attributes: dict[str, str]) -> tuple[bool | None, str | None]:
    """(emergency flag or None when not said, the chosen emergency kind's name) from attribute[...] values."""
    kind_key = attributes.get("emergency_kind")
    kind = None
    if kind_key:
        if not digits(kind_key) or not 1 <= int(kind_key) <= len(category.emergencies):
            raise ValidationFailed("attribute[emergency_kind] не из списка значений",
                                   {"attribute[emergency_kind]": "unknown value"})
        kind = category.emergencies[int(kind_key) - 1]
    flag = attributes.get("emergency")
    if flag not in (None, "", "yes", "no"):
        raise ValidationFailed("attribute[emergency] может быть только yes или no",
                               {"attribute[emergency]": "yes или no"})
    if kind is not None:
        return True, kind
    return (None if flag in (None, "") else flag == "yes"), None
