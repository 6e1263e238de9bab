"""The category catalogue: stable codes, Russian names, the resource each concerns, emergency cues."""
from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.resources import Resource


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    resource: Resource | None  # the utility an incident about it concerns, if any
    emergencies: tuple[str, ...]  # emergency subcategories (Russian), DOMAIN.md
    cues: tuple[str, ...]  # word stems that suggest the category in free text


CATEGORIES: tuple[Category, ...] = (
    Category("heating", "Отопление", Resource.HEATING, ("нет отопления в доме", "прорыв/течь отопления"),
             ("отоплен", "батаре", "радиатор", "холодно в квартир", "стояк отоп")),
    Category("hot_water", "Горячее водоснабжение", Resource.HOT_WATER, ("нет ГВС", "прорыв ГВС"),
             ("горяч", "гвс", "кипят")),
    Category("cold_water", "Холодное водоснабжение", Resource.COLD_WATER, ("нет воды", "прорыв ХВС"),
             ("холодн вод", "хвс", "нет вод", "ржав", "напор")),
    Category("sewerage", "Водоотведение", Resource.SEWERAGE, ("засор канализации", "затопление подвала"),
             ("канализ", "засор", "стоки", "фекал")),
    Category("electricity", "Электроснабжение", Resource.ELECTRICITY, ("нет света", "искрит", "запах гари"),
             ("свет", "электр", "искрит", "щиток", "проводк")),
    Category("gas", "Газоснабжение", Resource.GAS, ("запах газа",), ("газ",)),
    Category("elevator", "Лифты", None, ("застрял человек",), ("лифт",)),
    Category("roof", "Кровля и водостоки", None, ("течёт в квартиру",), ("крыш", "кровл", "водосток", "протека")),
    Category("basement", "Подвалы и чердаки", None, (), ("подвал", "чердак")),
    Category("structure", "Конструктивные элементы", None, ("падение элементов",),
             ("балкон", "фасад", "трещин", "штукатур", "плит")),
    Category("entrance", "Подъезды", None, (), ("подъезд", "домофон", "дверь", "лестниц")),
    Category("garbage_chute", "Мусоропровод", None, ("засор мусоропровода",), ("мусоропровод",)),
    Category("ventilation", "Вентиляция и дымоходы", None, (), ("вентиляц", "дымоход", "тяга")),
    Category("waste", "Вывоз ТКО", None, (), ("мусор", "тко", "контейнер", "помойк")),
    Category("yard", "Придомовая территория", None, (), ("двор", "снег", "налед", "гололед", "сосульк", "урн")),
    Category("billing", "Начисления", None, (), ("квитанц", "начислен", "перерасчет", "платеж", "тариф")),
    Category("management", "Управление и раскрытие информации", None, (), ("управляющ", "отчет", "собрани")),
    Category("capital_repair", "Капитальный ремонт", None, (), ("капремонт", "капитальн")),
    Category("other", "Другое", None, (), ()),
)
BY_CODE = {c.code: c for c in CATEGORIES}
CODES = tuple(BY_CODE)
EMERGENCY_CUES = ("нет воды", "нет горяч", "нет отоплен", "нет света", "прорыв", "прорвал", "затоп", "заливает",
                  "запах газа", "пахнет газом", "искрит", "застрял", "гарь", "горит", "обруш", "упал", "хлещет")


# What the appeal is about, where sla.dmn needs more than the category (checked in this order):
# (topic, word stems that must all have a match — each item is a tuple of alternatives)
TOPICS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("flooding", (("подвал",), ("затоп", "залит", "залив", "вода", "воды", "течет", "течь", "хлещет", "потоп"))),
    ("lighting", (("освещен", "лампоч", "светильник", "не горит свет", "свет в подъезд", "свет на лестниц",
                   "свет на этаж", "свет в тамбур", "свет у подъезд"),)),
    ("blockage", (("засор", "забит", "не проходит"),)),
    ("door", (("двер",),)),
)


def topic_of(text: str) -> str | None:
    """The topic sla.dmn distinguishes (basement flooding, common-area lighting, a blockage, a door), if any."""
    folded = _fold(text)
    for topic, groups in TOPICS:
        if all(any(stem in folded for stem in group) for group in groups):
            return topic
    return None


def resource_of(category: str) -> str | None:
    entry = BY_CODE.get(category)
    return entry.resource.value if entry and entry.resource else None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е"))


def suggest_category(text: str) -> str | None:
    """The category whose cues the text mentions most; None when nothing matches."""
    folded = _fold(text)
    scores = {c.code: sum(folded.count(cue) for cue in c.cues) for c in CATEGORIES if c.cues}
    best = max(scores.items(), key=lambda item: item[1])
    return best[0] if best[1] > 0 else None


def looks_like_emergency(text: str) -> bool:
    folded = _fold(text)
    return any(cue in folded for cue in EMERGENCY_CUES)
