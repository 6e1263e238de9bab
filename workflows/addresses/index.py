"""AddressIndex: resolve typed addresses and address mentions in posts against a building registry."""

from __future__ import annotations

from collections.abc import Iterable

from workflows.addresses.mentions import Mention, find_mentions
from workflows.addresses.model import BuildingRecord, Candidate, Resolution, StreetRow, format_address, house_label
from workflows.addresses.ranges import expand
from workflows.addresses.search import search_index
from workflows.addresses.streets import StreetLexicon
from workflows.addresses.tokens import fold, house_key, house_number, tokenize

RESOLVE_THRESHOLD = 0.75  # below this the best candidate is offered, never chosen
RESOLVE_MARGIN = 0.1  # the best must beat the runner-up by this much
LETTER_MISMATCH = 0.5  # "12" typed, registry has "12а"
STREET_ONLY_SCORE = 0.3
MAX_CANDIDATES = 10


def _suffix_factor(wanted: str, actual: str) -> float:
    if wanted == actual:
        return 1.0
    if not wanted:
        return 0.7  # "112" typed, the registry has only "112 к2"
    return 0.6 if not actual else 0.3


class AddressIndex:
    """In-memory index of buildings by street and house; also knows streets without buildings."""

    def __init__(self, records: Iterable[BuildingRecord], streets: Iterable[StreetRow] = ()) -> None:
        self.lexicon = StreetLexicon()
        self.records: dict[int, BuildingRecord] = {}
        # street id -> house number -> buildings with that number (any letter, korpus, building)
        self.houses: dict[int, dict[int, list[BuildingRecord]]] = {}
        for row in streets:
            self.lexicon.add(row.street_type, row.street)
        for record in records:
            street_id = self.lexicon.add(record.street_type, record.street)
            self.records[record.id] = record
            number = house_number(record.house)
            if number is not None:
                self.houses.setdefault(street_id, {}).setdefault(number, []).append(record)

    def _scored(self, mention: Mention) -> list[tuple[float, BuildingRecord]]:
        if mention.house is None:
            return []
        number = house_number(mention.house)
        wanted = house_key(mention.house)
        found: list[tuple[float, BuildingRecord]] = []
        for street_id, street_score in mention.streets:
            for record in self.houses.get(street_id, {}).get(number or -1, []):
                score = street_score * (1.0 if house_key(record.house) == wanted else LETTER_MISMATCH)
                score *= _suffix_factor(mention.korpus, fold(record.korpus))
                score *= _suffix_factor(mention.building, fold(record.building)) if mention.building else 1.0
                found.append((round(score, 4), record))
        found.sort(key=lambda item: (-item[0], item[1].id))
        return found

    def _street_buildings(self, mention: Mention) -> list[tuple[float, BuildingRecord]]:
        street_id, score = mention.streets[0]
        numbers = sorted(self.houses.get(street_id, {}))[:MAX_CANDIDATES]
        return [(round(score * STREET_ONLY_SCORE, 4), r) for n in numbers for r in self.houses[street_id][n]]

    def _matched_text(self, mention: Mention, best: BuildingRecord | None) -> str:
        street = self.lexicon.streets[mention.streets[0][0]]
        label = street.label
        if best is not None and mention.house is not None:
            best_id = self.lexicon.find(best.street_type, best.street)
            label = self.lexicon.streets[best_id].label if best_id is not None else label
        if mention.house is None:
            return label
        return f"{label}, {house_label(mention.house, mention.korpus, mention.building)}"

    def _resolution(self, mention: Mention) -> Resolution:
        scored = self._scored(mention) or self._street_buildings(mention)
        candidates = [Candidate(r.id, s, format_address(r)) for s, r in scored[:MAX_CANDIDATES]]
        top = scored[0][0] if scored else 0.0
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        chosen = top >= RESOLVE_THRESHOLD and top - runner_up >= RESOLVE_MARGIN - 1e-9
        best = scored[0][1] if chosen else None
        return Resolution(
            building_id=best.id if best else None,
            confidence=top if chosen else round(min(top, 0.5), 4),
            candidates=candidates,
            matched_text=self._matched_text(mention, best),
        )

    def _best(self, text: str, strict: bool) -> Resolution:
        mentions = find_mentions(tokenize(text), self.lexicon, strict)
        results = [self._resolution(m) for m in mentions]
        if not results:
            return Resolution(None, 0.0, [], None)
        with_house = [r for r, m in zip(results, mentions, strict=True) if m.house is not None] or results
        return max(with_house, key=lambda r: (r.building_id is not None, r.confidence))

    def resolve(self, text: str) -> Resolution:
        """Resolve a typed address ("ул. Советская, д. 45", "на Советской 45 кв 12", "пр-т Мира 12а")."""
        return self._best(text, strict=False)

    def find_in_text(self, text: str) -> Resolution:
        """Find an address mentioned in a free post; no building when the post names none."""
        return self._best(text, strict=True)

    def search(self, query: str, limit: int = 10) -> list[Candidate]:
        """Free-text live search ("совет 4"), best first."""
        return search_index(self, query, limit)

    def expand_range(self, text: str) -> list[int]:
        """Building ids named by ranges and lists: "Советская 1–45, нечётные", "Советская 10, 12, 14"."""
        return expand(self, text)
