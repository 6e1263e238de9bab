"""Keyword rules that back the statistical model: category cues and emergency cues (DOMAIN.md ⚠ list)."""

from __future__ import annotations

import re

from workflows.addresses.tokens import fold

CATEGORIES: tuple[str, ...] = (
    "heating", "hot_water", "cold_water", "sewerage", "electricity", "gas", "elevator", "roof", "basement",
    "structure", "entrance", "garbage_chute", "ventilation", "waste", "yard", "billing", "management",
    "capital_repair", "other",
)
# what a post that is not a complaint is: the kinds a moderator tells apart (labelled set, kind head)
NON_COMPLAINT_KINDS: tuple[str, ...] = (
    "event", "ad", "lost_pet", "thanks_news", "warning", "phone_question", "debt_notice", "neighbours", "transport",
)
POST_KINDS: tuple[str, ...] = ("complaint", *NON_COMPLAINT_KINDS)
CUE_BOOST = 1.5  # added to a category's logit per matching cue

# a cue names its category almost unambiguously; the model weighs cues against each other
CATEGORY_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "heating": r"отоплен|батаре|радиатор",
        "hot_water": r"горяч\w* вод|\bгвс\b|горячк|горячую",
        "cold_water": r"холодн\w* вод|напор|водопровод|еле (капает|течет|идет)",
        "sewerage": r"канализ|унитаз|фекал|\bстоки\b",
        "gas": r"\bгаз(а|ом|ов\w*)?\b",
        "elevator": r"\bлифт",
        "roof": r"крыш|кровл|сосульк|водосто|после (дожд|ливн)",
        "garbage_chute": r"мусоропровод",
        "ventilation": r"вентиляц|вытяжк|дымоход",
        "waste": r"контейнер|мусоровоз|вывоз\w* мусор|\bтск\b",
        "billing": r"квитанц|платежк|начисл|перерасчет|\bпени\b|\bодн\b|выставил\w* (сумм|сч)|вдвое больше|"
                   r"в два раза больше|двойн\w* (строк|начисл)",
        "structure": r"лестничн\w* марш|крыльц|обвал|фасад|трещин",
        "capital_repair": r"капремонт|капитальн\w* ремонт",
    }.items()
}

# (emergency pattern, unless-pattern): no heating/water/power, bursts, gas smell, stuck lift, sparks, floods, falls
EMERGENCY_RULES: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (re.compile(p), re.compile(u) if u else None)
    for p, u in (
        (r"\b(нет|без|отключили|пропал\w*|вырубил\w*)\b[^.!?,]{0,20}"
         r"(отоплени|горяч|холодн|\bвод[ыу]?\b|свет|электричеств|\bгвс\b)",
         r"подъезд|лестниц|площадк|тамбур|фонар|двор"),
        (r"прорвал|прорыв|\bпорыв|хлещ|фонтан", None),
        (r"(пахн|запах|вон)\w*\s+газ|газом\s+(пахн|вон)|утечк\w*\s+газ", None),
        (r"застрял", None),
        (r"искр|проводк|гарью|гари\b|палены", None),
        (r"затопил|по колено|по щиколотку|не уходит|лезет обратно|выливается|засор\w* канализ|забил\w* канализ",
         r"крыш|кровл|дожд|ливн"),
        (r"пада\w* кус|упал\w* (вниз|на|глыб|кус)|обрушил|рухнул|отвалил\w*", r"люди падают|упала и сломала"),
        (r"сидим без|третьи сутки без|неделю без", None),
    )
)
EMERGENCY_CATEGORIES = frozenset(
    {"heating", "hot_water", "cold_water", "sewerage", "electricity", "gas", "elevator", "structure", "roof"}
)


def category_boosts(text: str) -> dict[str, float]:
    """Logit boosts for categories whose cue words occur in the text."""
    folded = fold(text)
    return {name: CUE_BOOST for name, cue in CATEGORY_CUES.items() if cue.search(folded)}


def emergency_cue(text: str, category: str | None) -> bool:
    """True when the text states an emergency of a category that can have one."""
    if category not in EMERGENCY_CATEGORIES:
        return False
    folded = fold(text)
    return any(p.search(folded) and not (u and u.search(folded)) for p, u in EMERGENCY_RULES)
