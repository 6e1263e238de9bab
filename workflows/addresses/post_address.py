"""The address a post names, found by the grammar without the registry; the registry only adds the building
id when it has exactly that building (it never changes what the post says).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from workflows.addresses.gazetteer import Gazetteer, GazetteerRow, build_gazetteer
from workflows.addresses.grammar import AddressMention, gazetteer_hits, mention_for, street_type_at, unknown_street
from workflows.addresses.houses import House
from workflows.addresses.index import AddressIndex
from workflows.addresses.model import BuildingRecord, Candidate, canonical_street_type, format_address, street_label
from workflows.addresses.post_tokens import PostToken, tokenize_post
from workflows.addresses.tokens import fold, house_key, house_number

_CONTRAST = ("а", "соседн", "напротив", "рядом", "отличие", "них", "тоже")
MAX_CANDIDATES = 5
CANDIDATE_SCORE = 0.5  # a suggestion, below every threshold that picks a building


@dataclass(frozen=True)
class PostAddress:
    """The post's address in canonical form, the building when the registry has exactly it, and where it
    was written (character spans of every mention, for highlighting)."""

    address: str | None
    building_id: int | None = None
    street_known: bool = False  # the street is in the gazetteer (registry or street list)
    street_in_registry: bool = False
    candidates: list[Candidate] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)


def address_label(mention: AddressMention) -> str:
    """"ул. Садовая, д. 9, 11", "пер. Тихий, д. 5 к. 2", "ул. Советская"."""
    street = street_label(mention.street.street_type, mention.street.name)
    if not mention.houses:
        return street
    parts = [h.house + (f" к. {h.korpus}" if h.korpus else "") for h in mention.houses]
    return f"{street}, д. {', '.join(parts)}"


def _typed_hits(tokens: list[PostToken], t: int, gazetteer: Gazetteer) -> list[AddressMention]:
    for head in range(t + 1, min(t + 6, len(tokens))):
        hits = [h for h in gazetteer_hits(tokens, head, gazetteer) if h.start == t]
        if hits:
            return [m for m in (mention_for(tokens, h, gazetteer) for h in hits) if m is not None]
    hit = unknown_street(tokens, t)
    mention = mention_for(tokens, hit, gazetteer) if hit is not None else None
    return [mention] if mention is not None else []


def find_mentions(text: str, gazetteer: Gazetteer) -> tuple[list[PostToken], list[AddressMention]]:
    """Every address mention of a post in reading order (one per street occurrence)."""
    tokens = tokenize_post(text)
    mentions: list[AddressMention] = []
    used = -1
    for i in range(len(tokens)):
        if i <= used:
            continue
        found = _typed_hits(tokens, i, gazetteer) if street_type_at(tokens, i) is not None else []
        if not found:  # "Набережная 72": a type word can also be a street's name
            found = [m for m in (mention_for(tokens, h, gazetteer) for h in gazetteer_hits(tokens, i, gazetteer))
                     if m is not None]
        if found:
            best = next((m for m in found if m.houses), found[0])
            mentions.append(best)
            used = max(best.stop, best.street.stop)
    return tokens, mentions


def _contrast(tokens: list[PostToken], mention: AddressMention) -> bool:
    """A neighbour's house named for comparison: "..., а на Советской 47 вода есть", "в соседнем доме 12"."""
    window = tokens[max(0, mention.start - 4):mention.start]
    return any(t.text == w or (len(w) > 2 and t.text.startswith(w)) for t in window for w in _CONTRAST)


def primary(tokens: list[PostToken], mentions: list[AddressMention]) -> AddressMention | None:
    """The post's own address: the first with a house that is not a comparison, else the first street."""
    own = [m for m in mentions if not _contrast(tokens, m)] or mentions
    return next((m for m in own if m.houses), own[0] if own else None)


class PostAddressFinder:
    """Finds posts' addresses with the gazetteer built from the registry's streets plus the street lists."""

    def __init__(self, records: Iterable[BuildingRecord] = (), index: AddressIndex | None = None,
                 street_list: Iterable[GazetteerRow] | None = None) -> None:
        rows = list(records)
        self.index = index
        self.gazetteer = build_gazetteer(((r.street_type, r.street) for r in rows), street_list)
        self.registry_streets = {self._street_key(r.street_type, r.street) for r in rows}
        self.buildings: dict[tuple[str, str, str, str], int] = {}
        self.by_number: dict[tuple[str, str, int], list[BuildingRecord]] = {}  # letter and korpus variants
        for r in sorted(rows, key=lambda r: r.id):
            street = self._street_key(r.street_type, r.street)
            self.buildings.setdefault((*street, house_key(r.house), fold(r.korpus)), r.id)
            number = house_number(r.house)
            if number is not None:
                self.by_number.setdefault((*street, number), []).append(r)

    @staticmethod
    def _street_key(street_type: str, street: str) -> tuple[str, str]:
        return canonical_street_type(street_type) or street_type, fold(street).strip()

    def _building(self, mention: AddressMention) -> int | None:
        if len(mention.houses) != 1:
            return None
        house: House = mention.houses[0]
        key = (*self._street_key(mention.street.street_type, mention.street.name), house_key(house.house),
               fold(house.korpus))
        return self.buildings.get(key)

    def _candidates(self, mention: AddressMention, building_id: int | None) -> list[Candidate]:
        """The building itself, else the registry's buildings of that street and number (other letter or
        korpus) as suggestions for a person — never chosen."""
        if building_id is not None and self.index is not None:
            return [Candidate(building_id, 1.0, format_address(self.index.records[building_id]))]
        street = self._street_key(mention.street.street_type, mention.street.name)
        numbers = [house_number(h.house) for h in mention.houses]
        found = [r for n in numbers if n is not None for r in self.by_number.get((*street, n), [])]
        return [Candidate(r.id, CANDIDATE_SCORE, format_address(r)) for r in found[:MAX_CANDIDATES]]

    def find(self, text: str) -> PostAddress:
        tokens, mentions = find_mentions(text, self.gazetteer)
        chosen = primary(tokens, mentions)
        if chosen is None:
            return PostAddress(None)
        label = address_label(chosen)
        building_id = self._building(chosen)
        street_key = self._street_key(chosen.street.street_type, chosen.street.name)
        spans = [[tokens[m.start].start, tokens[m.stop].stop] for m in mentions]
        return PostAddress(label, building_id, chosen.street.entry_id is not None, street_key in self.registry_streets,
                           self._candidates(chosen, building_id), spans)


_finders: weakref.WeakKeyDictionary[AddressIndex, PostAddressFinder] = weakref.WeakKeyDictionary()


@lru_cache(maxsize=1)
def street_list_finder() -> PostAddressFinder:
    """The finder without a registry (the shipped street lists only)."""
    return PostAddressFinder()


def finder_for(index: AddressIndex | None) -> PostAddressFinder:
    """The finder of a registry index (built once per index)."""
    if index is None:
        return street_list_finder()
    finder = _finders.get(index)
    if finder is None:
        finder = PostAddressFinder(index.records.values(), index)
        _finders[index] = finder
    return finder
