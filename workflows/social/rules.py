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


def _word_with(stem: str) -> str:
    r"""A whole word containing `stem` («горячей» for «горяч»): what `stem\w*` matched before a following word.

    `stem\w*` is tried at every occurrence of the stem and rescans the rest of the word each time, quadratic
    in a long word of repeated stems (20,000 letters of «вонвон…» took 1.6 s); starting only where a word
    starts and taking the stem's first occurrence atomically reads each word once. Used before a space only.
    """
    return rf"(?<!\w)(?>\w*?(?:{stem}))\w*+"


# a cue names its category almost unambiguously; the model weighs cues against each other
CATEGORY_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "heating": r"отоплен|батаре|радиатор",
        "hot_water": rf"{_word_with('горяч')} вод|\bгвс\b|горячк|горячую",
        "cold_water": rf"{_word_with('холодн')} вод|напор|водопровод|еле (капает|течет|идет)",
        "sewerage": r"канализ|унитаз|фекал|\bстоки\b",
        "gas": r"\bгаз(а|ом|ов\w*)?\b",
        "elevator": r"\bлифт",
        "roof": r"крыш|кровл|сосульк|водосто|после (дожд|ливн)",
        "garbage_chute": r"мусоропровод",
        "ventilation": r"вентиляц|вытяжк|дымоход",
        "waste": rf"контейнер|мусоровоз|{_word_with('вывоз')} мусор|\bтск\b",
        "billing": rf"квитанц|платежк|начисл|перерасчет|\bпени\b|\bодн\b|{_word_with('выставил')} (сумм|сч)|"
                   rf"вдвое больше|в два раза больше|{_word_with('двойн')} (строк|начисл)",
        "structure": rf"{_word_with('лестничн')} марш|крыльц|обвал|фасад|трещин",
        "capital_repair": rf"капремонт|{_word_with('капитальн')} ремонт",
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
        (rf"{_word_with('пахн|запах|вон')}\s+газ|газом\s+(пахн|вон)|{_word_with('утечк')}\s+газ", None),
        (r"застрял", None),
        (r"искр|проводк|гарью|гари\b|палены", None),
        (rf"затопил|по колено|по щиколотку|не уходит|лезет обратно|выливается|{_word_with('засор|забил')} канализ",
         r"крыш|кровл|дожд|ливн"),
        (rf"{_word_with('пада')} кус|{_word_with('упал')} (вниз|на|глыб|кус)|обрушил|рухнул|отвалил",
         r"люди падают|упала и сломала"),
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
