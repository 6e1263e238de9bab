"""The address grammar of residents' posts: street type + street name + house, in any order.

  [type] name [type] [,] [д.|дом] house [к. N] [и house]     "ул. Советская, д. 45", "Советская ул. 45а"
  house-part (по|на) [type] name                              "дом 28 по Пушкина", "в 45-м доме на Советской"
  type Name                                                   "переулок Тихий" (a street the gazetteer lacks)

The name is looked up in the gazetteer (case forms, colloquial names, same-shape typos). The type written
in the post always wins: a street of another type is never taken for it — then the post's own words are
the address ("переулок Садовый" stays a переулок even when only ул. Садовая is known).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from workflows.addresses.gazetteer import Gazetteer
from workflows.addresses.houses import HOUSE_MARKERS, House, houses_before, read_houses
from workflows.addresses.model import canonical_street_type
from workflows.addresses.post_tokens import SENTENCE_END, PostToken
from workflows.addresses.street_names import ADJECTIVE_FORM as _ADJECTIVE_FORM
from workflows.addresses.street_names import nominative_name

LINKS = frozenset({"по", "на"})
_NOT_TYPES = ("площадк", "улицам", "улицах", "проездн", "квартальн", "бульварн", "переулочн", "проспектн")
_NOT_NAMES = HOUSE_MARKERS | {"и", "а", "в", "на", "по", "у", "с", "к", "за", "около", "возле", "где", "там", "тут",
                              "это", "нас", "нам", "вас", "всех", "опять", "снова", "уже", "не", "нет", "весь", "вся"}
ALIAS_SCORE = 0.95


@dataclass(frozen=True)
class StreetHit:
    """A street named in the post: a gazetteer entry or, when the post names a street the gazetteer lacks
    with an explicit type, the post's own words (`entry_id` None)."""

    street_type: str
    name: str
    entry_id: int | None
    score: float
    start: int  # first token (type or name)
    stop: int  # last token of the street part
    typed: bool
    alias: bool = False


@dataclass(frozen=True)
class AddressMention:
    """A street with the houses the post names for it (none: the street alone)."""

    street: StreetHit
    houses: tuple[House, ...]
    start: int  # token span of the whole mention
    stop: int


@lru_cache(maxsize=50_000)
def _street_type(word: str) -> str | None:
    return None if word.startswith(_NOT_TYPES) else canonical_street_type(word)


def street_type_at(tokens: list[PostToken], i: int) -> str | None:
    tok = tokens[i]
    return _street_type(tok.text) if tok.kind == "word" else None


def _skip_dot(tokens: list[PostToken], j: int, step: int) -> int:
    while 0 <= j < len(tokens) and tokens[j].text in (".", ","):
        j += step
    return j


def _name_start(tokens: list[PostToken], gazetteer: Gazetteer, entry_id: int, head: int) -> int | None:
    """First token of the entry's name ending at `head` (qualifiers such as "Карла", "К.", "8"); None when
    a numbered name ("8 Марта") lacks its number."""
    entry = gazetteer.entries[entry_id]
    start, j = head, head - 1
    for position in range(len(entry.qualifiers) - 1, -1, -1):
        while j >= 0 and tokens[j].text == ".":
            j -= 1
        if j < 0 or not gazetteer.qualifier_matches(entry_id, tokens[j].text, position):
            return None if entry.numbered else start
        start, j = j, j - 1
    return start


def _entries_at(tokens: list[PostToken], i: int, gazetteer: Gazetteer, typo_ok: bool) -> list[tuple[int, float, bool]]:
    word = tokens[i].text
    found = [(e, 1.0, False) for e in gazetteer.exact(word)] + [(e, ALIAS_SCORE, True) for e in gazetteer.alias(word)]
    if not found and typo_ok:
        found = [(e, s, False) for e, s in gazetteer.fuzzy(word)]
    return found


def _typo_ok(tokens: list[PostToken], i: int) -> bool:
    """A misspelt word is looked up only where it looks like a street: capital, type before, number after."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    before_type = i > 0 and street_type_at(tokens, _skip_dot(tokens, i - 1, -1)) is not None
    return tokens[i].capitalised or tokens[i].latin or before_type or (after is not None and after.kind == "num")


def _given_type(tokens: list[PostToken], start: int, head: int) -> tuple[str | None, int, int]:
    before = _skip_dot(tokens, start - 1, -1)
    if before >= 0 and street_type_at(tokens, before):
        return street_type_at(tokens, before), before, head
    after = head + 1
    if after < len(tokens) and street_type_at(tokens, after):
        stop = after + 1 if after + 1 < len(tokens) and tokens[after + 1].text == "." else after
        return street_type_at(tokens, after), start, stop
    return None, start, head


def gazetteer_hits(tokens: list[PostToken], i: int, gazetteer: Gazetteer) -> list[StreetHit]:
    """Streets whose name ends at token i, with the type the post gives (entries of other types dropped)."""
    if tokens[i].kind != "word" or len(tokens[i].text) < 3:
        return []
    hits: list[StreetHit] = []
    for entry_id, score, alias in _entries_at(tokens, i, gazetteer, _typo_ok(tokens, i)):
        start = _name_start(tokens, gazetteer, entry_id, i)
        if start is None:
            continue
        given, span_start, span_stop = _given_type(tokens, start, i)
        entry = gazetteer.entries[entry_id]
        if given is not None and given != entry.street_type:
            continue
        hits.append(StreetHit(entry.street_type, entry.name, entry_id, score, span_start, span_stop,
                              given is not None, alias))
    hits.sort(key=lambda h: (-h.score, h.street_type != "ул", h.entry_id or 0))
    return hits


def unknown_street(tokens: list[PostToken], t: int) -> StreetHit | None:
    """The post's own street after an explicit type word: "переулок Тихий", "ул. 8 Марта", "пр-т Строителей"."""
    code = street_type_at(tokens, t)
    j = _skip_dot(tokens, t + 1, 1)
    words: list[PostToken] = []
    while j < len(tokens) and len(words) < 3:
        tok = tokens[j]
        if tok.kind in ("num", "ord") and not words and j + 1 < len(tokens) and tokens[j + 1].capitalised:
            words.append(tok)  # "8 Марта", "1-й Почтовый"
        elif tok.kind == "word" and tok.text not in _NOT_NAMES and (tok.capitalised or not words) and \
                not street_type_at(tokens, j):
            words.append(tok)
        else:
            break
        j += 1
    if code is not None and not words:
        return _name_before_type(tokens, t, code)
    if code is None or not [w for w in words if w.kind == "word"]:
        return None
    name = nominative_name([w.raw if not w.latin else w.text for w in words], code)
    return StreetHit(code, name, None, 0.8, t, j - 1, True)


def _name_before_type(tokens: list[PostToken], t: int, code: str) -> StreetHit | None:
    """"в Заречном переулке": an adjective name written before its type."""
    before = tokens[t - 1] if t > 0 else None
    if before is None or before.kind != "word" or not before.capitalised or before.text in _NOT_NAMES or \
            not _ADJECTIVE_FORM.search(before.text):
        return None
    name = nominative_name([before.text if before.latin else before.raw], code)
    return StreetHit(code, name, None, 0.8, t - 1, t, True)


def _accepted(tokens: list[PostToken], hit: StreetHit, houses: bool, gazetteer: Gazetteer) -> bool:
    """In free text a bare street word must look like an address: a house, a type, a capital or a nickname."""
    if hit.typed or houses or hit.alias:
        return True
    head = tokens[hit.stop]
    sentence_start = hit.start == 0 or tokens[hit.start - 1].text in SENTENCE_END or tokens[hit.start - 1].raw == "\n"
    entry = gazetteer.entries[hit.entry_id] if hit.entry_id is not None else None
    numbered = entry is not None and entry.numbered
    return head.capitalised and not sentence_start and hit.score >= 1.0 and not numbered


def mention_for(tokens: list[PostToken], hit: StreetHit, gazetteer: Gazetteer) -> AddressMention | None:
    """The street with its houses (after it, or before it through "по"/"на"), or None when not an address."""
    after = read_houses(tokens, hit.stop + 1)
    if after is not None:
        return AddressMention(hit, tuple(after[0]), hit.start, after[1])
    link = hit.start - 1
    if link >= 1 and tokens[link].text in LINKS:
        before = houses_before(tokens, link)
        if before is not None:
            return AddressMention(hit, tuple(before[0]), before[1], hit.stop)
    if not _accepted(tokens, hit, False, gazetteer):
        return None
    return AddressMention(hit, (), hit.start, hit.stop)
