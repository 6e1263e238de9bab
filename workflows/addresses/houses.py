"""House parts of an address in a post: "д. 5 к. 2", "48а", "дома 9 и 11", "в 45-м доме", "в сорок пятом доме"."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.addresses.markers import HOUSE_WORDS, KORPUS_MARKERS, UNIT_PREFIXES, number_after_marker
from workflows.addresses.numerals import read_number
from workflows.addresses.post_tokens import PostToken

HOUSE_MARKERS = HOUSE_WORDS | {"домах", "домик", "домике"}
HOUSE_NOUNS = frozenset({"дом", "доме", "дома", "дому", "домом", "домах", "домике"})
_BEFORE_MARKER = frozenset({"в", "во", "у", "около", "возле"})  # "на улице Луговой в доме 12"
_SKIP = frozenset({",", ".", ":", "(", ")", "-", "—", "–"})
MAX_HOUSE = 999
_UNIT_PREFIXES = (*UNIT_PREFIXES, "см", "мм", "кг", "шт", "ч", "р")
_UNIT_WORDS = frozenset({"квартир", "квартирах", "квартирам", "квартирами"})  # "5 квартир затопило"


@dataclass(frozen=True)
class House:
    """One house named in a post: number with letter or fraction ("48а", "5/2"), and korpus."""

    house: str
    korpus: str = ""


def _unit_after(tokens: list[PostToken], j: int) -> bool:
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if nxt is None:
        return False
    if nxt.kind == "word" and (nxt.text in _UNIT_WORDS or nxt.text.startswith(_UNIT_PREFIXES)):
        return nxt.text not in KORPUS_MARKERS
    glued = j + 2 < len(tokens) and tokens[j + 2].start == nxt.stop and nxt.start == tokens[j].stop
    return nxt.text in (":", ".", "%") and glued and tokens[j + 2].kind == "num"  # 10:00, 12.07


def _fraction(tokens: list[PostToken], j: int) -> tuple[str, int]:
    text = tokens[j].text
    if j + 2 < len(tokens) and tokens[j + 1].text == "/" and tokens[j + 2].kind == "num":
        return f"{text}/{tokens[j + 2].text}", j + 2
    return text, j


def _one(tokens: list[PostToken], j: int, marked: bool) -> tuple[House, int] | None:
    """A house starting at j: a number, an ordinal before "доме", or number words next to "дом"."""
    tok = tokens[j]
    if tok.kind == "num" and tok.value is not None and 0 < tok.value <= MAX_HOUSE and not _unit_after(tokens, j):
        house, j = _fraction(tokens, j)
        korpus, j = number_after_marker(tokens, j, KORPUS_MARKERS)
        return House(house, korpus), j
    nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
    if tok.kind == "ord" and tok.value and (marked or nxt in HOUSE_NOUNS):
        return House(str(tok.value)), j + (nxt in HOUSE_NOUNS)
    if tok.kind == "word":
        words = [t.text if t.kind == "word" else "" for t in tokens[j:j + 4]]
        spelled = read_number(words, 0)
        if spelled is not None and (marked or (spelled[1] < len(words) and words[spelled[1]] in HOUSE_NOUNS)):
            end = j + spelled[1] - 1
            return House(str(spelled[0])), end + (end + 1 < len(tokens) and tokens[end + 1].text in HOUSE_NOUNS)
    return None


def read_houses(tokens: list[PostToken], j: int, marked: bool = False) -> tuple[list[House], int] | None:
    """Houses from position j (through commas and "д."/"дом"); "дома 9 и 11" gives both. (houses, last index)."""
    skipped = 0
    while j < len(tokens) and skipped <= 4 and (tokens[j].text in _SKIP or tokens[j].text in HOUSE_MARKERS or (
            tokens[j].text in _BEFORE_MARKER and j + 1 < len(tokens) and tokens[j + 1].text in HOUSE_MARKERS)):
        marked = marked or tokens[j].text in HOUSE_MARKERS
        j, skipped = j + 1, skipped + 1
    if j >= len(tokens):
        return None
    first = _one(tokens, j, marked)
    if first is None:
        return None
    houses, last = [first[0]], first[1]
    while last + 2 < len(tokens) and tokens[last + 1].text in ("и", ",") and tokens[last + 2].kind == "num":
        more = _one(tokens, last + 2, True)
        if more is None:
            break
        houses.append(more[0])
        last = more[1]
    return houses, last


def houses_before(tokens: list[PostToken], link: int) -> tuple[list[House], int] | None:
    """Houses named before "по"/"на" at `link`: "дом 28 по", "в 45-м доме на", "у дома 9 на". (houses, first index)."""
    for start in range(max(0, link - 6), link):
        if tokens[start].text not in HOUSE_MARKERS and tokens[start].kind not in ("num", "ord", "word"):
            continue
        if tokens[start].kind == "word" and tokens[start].text not in HOUSE_MARKERS and \
                read_number([tokens[start].text], 0) is None:
            continue
        found = read_houses(tokens, start)
        if found is not None and found[1] == link - 1:
            marked = any(t.text in HOUSE_MARKERS for t in tokens[start:link])
            glued_korpus = any(h.korpus for h in found[0])
            if marked or glued_korpus:
                return found[0], start
    return None
