"""Expanding house ranges and lists ("Советская 1–45, нечётные", "Мичуринская 100–112а") to buildings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workflows.addresses.mentions import find_mentions
from workflows.addresses.model import BuildingRecord
from workflows.addresses.tokens import Token, fold, house_key, house_number, tokenize

if TYPE_CHECKING:  # index.py imports this module: the index's type only, for annotations
    from workflows.addresses.index import AddressIndex

_DASHES = frozenset({"-", "–", "—", "по", "до", "..."})
HouseBound = tuple[int, str]


def _bound(text: str) -> HouseBound:
    """Sortable house position: "112а" -> (112, "а")."""
    key = house_key(text)
    number = house_number(key) or 0
    return number, key[len(str(number)):]


def _parity(tokens: list[Token]) -> int | None:
    """1 for odd ("нечётные"), 0 for even ("чётные"), None when not said."""
    for tok in tokens:
        if tok.text.startswith("нечет"):
            return 1
        if tok.text.startswith("чет"):
            return 0
    return None


def _spans(tokens: list[Token]) -> list[tuple[HouseBound, HouseBound]]:
    """Inclusive house spans: a range "1–45" gives one span, a single "10" a span of itself."""
    spans: list[tuple[HouseBound, HouseBound]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.is_number:
            i += 1
            continue
        if i + 2 < len(tokens) and tokens[i + 1].text in _DASHES and tokens[i + 2].is_number:
            spans.append((_bound(tok.text), _bound(tokens[i + 2].text)))
            i += 3
            continue
        spans.append((_bound(tok.text), _bound(tok.text)))
        i += 1
    return spans


def _selected(record: BuildingRecord, spans: list[tuple[HouseBound, HouseBound]], parity: int | None) -> bool:
    position = _bound(record.house)
    if parity is not None and position[0] % 2 != parity:
        return False
    if not spans:
        return True
    return any(low <= position <= high if low != high else position == low for low, high in spans)


def expand(index: AddressIndex, text: str) -> list[int]:
    """Ids of the buildings named, in the order of the text, each once."""
    tokens = tokenize(re.sub(r"(?<=\d)\s*[–—-]\s*(?=\d)", " – ", text))
    mentions = find_mentions(tokens, index.lexicon, strict=False)
    ids: list[int] = []
    for k, mention in enumerate(mentions):
        end = mentions[k + 1].token_start if k + 1 < len(mentions) else len(tokens)
        segment = tokens[mention.street_stop:end]
        spans, parity = _spans(segment), _parity(segment)
        for street_id in _streets(index, mention.streets, spans, parity):
            ids += [i for i in _street_ids(index, street_id, spans, parity) if i not in ids]
    return ids


def _street_ids(index: AddressIndex, street_id: int, spans: list[tuple[HouseBound, HouseBound]],
                parity: int | None) -> list[int]:
    return [
        record.id
        for number in sorted(index.houses.get(street_id, {}))
        for record in sorted(index.houses[street_id][number], key=lambda r: (_bound(r.house), fold(r.korpus)))
        if _selected(record, spans, parity)
    ]


def _streets(index: AddressIndex, scored: tuple[tuple[int, float], ...], spans: list[tuple[HouseBound, HouseBound]],
             parity: int | None) -> list[int]:
    """The best-scored street; on a tie (ул. and пр-т Мира) the tied streets that have such houses."""
    tied = [street_id for street_id, score in scored if score >= scored[0][1] - 1e-9]
    if len(tied) == 1:
        return tied
    return [street_id for street_id in tied if _street_ids(index, street_id, spans, parity)][:1] or tied[:1]
