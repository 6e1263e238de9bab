"""Finding address mentions (street + house) in a token stream."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.addresses.markers import HOUSE_WORDS, KORPUS_MARKERS, UNIT_PREFIXES, number_after_marker
from workflows.addresses.model import canonical_street_type
from workflows.addresses.streets import StreetLexicon
from workflows.addresses.tokens import SENTENCE_END, Token

HOUSE_MARKERS = HOUSE_WORDS | {"н", "#"}
BUILDING_MARKERS = frozenset({"стр", "строение", "строения"})
LINKING_PREPOSITIONS = frozenset({"по", "на"})
_SKIPPABLE_PUNCT = frozenset({",", ".", ":", "(", ")"})
_UNIT_PREFIXES = (*UNIT_PREFIXES, "квартир")
_UNIT_WORDS = frozenset({"ч", "м", "р", "мм", "см", "кг", "шт", "т", "л", "мин", "сек"})
ORDINAL_PENALTY = 0.25  # "Пролетарская" typed for "1-я Пролетарская"
QUALIFIER_PENALTY = 0.1  # "Маркса" typed for "Карла Маркса"
TYPE_MISMATCH = 0.6


@dataclass(frozen=True)
class Mention:
    """A street mention with an optional house; `streets` are (street id, score), best first."""

    streets: tuple[tuple[int, float], ...]
    house: str | None
    korpus: str
    building: str
    start: int
    stop: int
    token_start: int
    street_stop: int
    token_stop: int


def _is_unit(tok: Token | None) -> bool:
    return tok is not None and (tok.text in _UNIT_WORDS or tok.text.startswith(_UNIT_PREFIXES))


def _type_at(tokens: list[Token], i: int, step: int) -> tuple[str | None, int]:
    """Street type found next to position i going in `step` direction, skipping dots and commas."""
    j = i + step
    while 0 <= j < len(tokens) and tokens[j].text in _SKIPPABLE_PUNCT:
        j += step
    if 0 <= j < len(tokens) and tokens[j].kind == "word":
        return canonical_street_type(tokens[j].text), j
    return None, i


def _qualifiers(tokens: list[Token], head: int, lexicon: StreetLexicon, street_id: int) -> tuple[int, int]:
    """How many of the street's qualifiers precede the head, and where the street span starts."""
    start, found, j = head, 0, head - 1
    while j >= 0 and head - j <= 4:
        if tokens[j].text == ".":
            j -= 1
            continue
        if lexicon.qualifier_index(street_id, tokens[j].text) is None:
            break
        found, start, j = found + 1, j, j - 1
    return found, start


def _score_streets(tokens: list[Token], head: int, lexicon: StreetLexicon,
                   matches: list[tuple[int, float]]) -> tuple[list[tuple[int, float]], int, int]:
    """Scores per street after qualifiers and type; returns them with the span start and end."""
    scored: list[tuple[int, float]] = []
    span_start, span_stop = head, head
    explained = {street_id: _qualifiers(tokens, head, lexicon, street_id) for street_id, _ in matches}
    most = max(found for found, _ in explained.values())
    for street_id, score in matches:
        street = lexicon.streets[street_id]
        found, start = explained[street_id]
        missing = street.qualifiers[found:] if found < len(street.qualifiers) else ()
        for q in missing:
            score -= ORDINAL_PENALTY if q[:1].isdigit() else QUALIFIER_PENALTY
        score -= ORDINAL_PENALTY * (most - found)  # "2-я Советская" is not plain "Советская"
        before, b_pos = _type_at(tokens, start, -1)
        after, a_pos = _type_at(tokens, head, 1)
        given = before or after
        if given is not None and given != street.street_type:
            score *= TYPE_MISMATCH
        span_start = min(span_start, b_pos if before else start)
        span_stop = max(span_stop, a_pos if after else head)
        scored.append((street_id, round(score, 4)))
    scored.sort(key=lambda item: -item[1])
    return scored, span_start, span_stop


def _number_after(tokens: list[Token], i: int, strict: bool) -> int | None:
    """Index of a house number following position i (through "д.", "дом", commas), if any."""
    j, skipped = i + 1, 0
    while j < len(tokens) and skipped <= 4:
        tok = tokens[j]
        if tok.is_number:
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if strict and (_is_unit(nxt) or (nxt is not None and nxt.text in (":", "-", "–") and j + 2 < len(tokens)
                                             and tokens[j + 2].kind == "num")):
                return None
            return j
        if tok.text in _SKIPPABLE_PUNCT or tok.text in HOUSE_MARKERS or canonical_street_type(tok.text):
            j, skipped = j + 1, skipped + 1
            continue
        return None
    return None


def _number_before(tokens: list[Token], start: int) -> tuple[int, str] | None:
    """House named before the street: "в доме 12 по Интернациональной", "150к2 на Мичуринской"."""
    k = start - 1
    if k >= 0 and canonical_street_type(tokens[k].text):
        k -= 1
    if k < 2 or tokens[k].text not in LINKING_PREPOSITIONS or not tokens[k - 1].is_number:
        return None
    if k >= 3 and tokens[k - 2].text in KORPUS_MARKERS and tokens[k - 3].is_number:
        return k - 3, tokens[k - 1].text  # "150к2 на ..." names a house by its shape alone
    return (k - 1, "") if tokens[k - 2].text in HOUSE_MARKERS else None


def _accepted(tokens: list[Token], head: int, best: float, has_type: bool, has_house: bool) -> bool:
    """In free text a street word must look like an address: a house, a street type or a capital letter."""
    tok = tokens[head]
    sentence_start = head == 0 or tokens[head - 1].text in SENTENCE_END
    capital = tok.capitalised and not sentence_start
    if best < 1.0 and not (capital or has_type or (tok.capitalised and has_house)):
        return False
    return has_house or has_type or capital


def _fuzzy_allowed(tokens: list[Token], head: int) -> bool:
    """In free text a misspelt street is looked up only where it looks like one (capital, type, house)."""
    if tokens[head].capitalised:
        return True
    before = tokens[head - 1] if head > 0 else None
    after = tokens[head + 1] if head + 1 < len(tokens) else None
    return (before is not None and canonical_street_type(before.text) is not None) or (
        after is not None and after.is_number)


def mention_at(tokens: list[Token], head: int, lexicon: StreetLexicon, strict: bool) -> Mention | None:
    """The mention whose street head word sits at `head`, or None when it is not an address."""
    matches = lexicon.head_matches(tokens[head].text, fuzzy=not strict or _fuzzy_allowed(tokens, head))
    if not matches:
        return None
    streets, start, stop = _score_streets(tokens, head, lexicon, matches)
    token_start, street_stop = start, stop + 1
    has_type = start < head and canonical_street_type(tokens[start].text) is not None or (
        stop > head and canonical_street_type(tokens[stop].text) is not None)
    number, korpus, building = _number_after(tokens, stop, strict), "", ""
    before = _number_before(tokens, start) if number is None else None
    if before is not None:
        number, korpus = before
        start = max(number - 1, 0)
    elif number is not None:
        stop = number
    if strict and not _accepted(tokens, head, streets[0][1], has_type, number is not None):
        return None
    if number is not None and number >= head:
        korpus, stop = number_after_marker(tokens, stop, KORPUS_MARKERS)
        building, stop = number_after_marker(tokens, stop, BUILDING_MARKERS)
    house = tokens[number].text if number is not None else None
    return Mention(tuple(streets), house, korpus, building, tokens[start].start, tokens[stop].stop,
                   token_start, street_stop, stop + 1)


def find_mentions(tokens: list[Token], lexicon: StreetLexicon, strict: bool) -> list[Mention]:
    """All address mentions in reading order."""
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        mention = None
        if tok.kind == "word" and len(tok.text) >= 3:  # a type word may also be a name ("Набережная")
            mention = mention_at(tokens, i, lexicon, strict)
        if mention is None:
            i += 1
            continue
        found.append(mention)
        i = max(mention.token_stop, i + 1)
    return found
