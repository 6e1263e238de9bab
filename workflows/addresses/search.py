"""Live building search for partial input ("совет 4", "мичур 112 к2")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflows.addresses.mentions import HOUSE_MARKERS, KORPUS_MARKERS, TYPE_MISMATCH
from workflows.addresses.model import BuildingRecord, Candidate, canonical_street_type, format_address
from workflows.addresses.tokens import Token, fold, house_key, tokenize

if TYPE_CHECKING:  # index.py imports this module: the index's type only, for annotations
    from workflows.addresses.index import AddressIndex

MAX_STREETS = 20


def _street_scores(index: AddressIndex, words: list[str]) -> dict[int, float]:
    """Streets every informative word points to (prefix, then typo match), combined by product."""
    combined: dict[int, float] | None = None
    for word in words:
        found = dict(index.lexicon.prefix_matches(word))
        if not found and len(word) >= 5:
            found = dict(index.lexicon.head_matches(word))
        if not found:
            continue  # a word that names no street ("дом", a typo too far) narrows nothing
        if combined is None:
            combined = found
        else:
            narrowed = {k: v * found[k] for k, v in combined.items() if k in found}
            combined = narrowed or combined
    return combined or {}


def _house_query(tokens: list[Token]) -> tuple[str, str]:
    """The house prefix and korpus typed, if any."""
    house, korpus = "", ""
    for i, tok in enumerate(tokens):
        if not tok.is_number:
            continue
        if house and i > 0 and tokens[i - 1].text in KORPUS_MARKERS:
            korpus = tok.text
        elif not house:
            house = house_key(tok.text)
    return house, korpus


def _house_score(record: BuildingRecord, house: str, korpus: str) -> float:
    if not house:
        return 0.5
    key = house_key(record.house)
    if not key.startswith(house):
        return 0.0
    score = 1.0 if key == house else 0.6 + 0.2 * len(house) / len(key)
    if korpus:
        score *= 1.0 if fold(record.korpus) == korpus else 0.5
    elif record.korpus:
        score *= 0.9
    return score


def search_index(index: AddressIndex, query: str, limit: int = 10) -> list[Candidate]:
    """Candidates for a partial address, best first."""
    tokens = tokenize(query)
    types = [t for t in (canonical_street_type(tok.text) for tok in tokens if tok.kind == "word") if t]
    words = [tok.text for tok in tokens if tok.kind == "word" and len(tok.text) >= 2
             and not canonical_street_type(tok.text) and tok.text not in HOUSE_MARKERS | KORPUS_MARKERS]
    streets = sorted(_street_scores(index, words).items(), key=lambda item: -item[1])[:MAX_STREETS]
    house, korpus = _house_query(tokens)
    scored: list[tuple[float, int, BuildingRecord]] = []
    for street_id, street_score in streets:
        if types and index.lexicon.streets[street_id].street_type != types[0]:
            street_score *= TYPE_MISMATCH
        for number in sorted(index.houses.get(street_id, {})):
            for record in index.houses[street_id][number]:
                score = street_score * _house_score(record, house, korpus)
                if score > 0:
                    scored.append((round(score, 4), number, record))
    scored.sort(key=lambda item: (-item[0], item[2].street, item[1], item[2].house, item[2].korpus))
    return [Candidate(r.id, s, format_address(r)) for s, _, r in scored[:limit]]
