"""Street lexicon: every surface form of every street's words, with exact, lemma and typo lookup."""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workflows.addresses.model import canonical_street_type
from workflows.addresses.morph import lemma
from workflows.addresses.street_words import Street, case_forms, name_key, name_words, qualifier_matches
from workflows.addresses.tokens import fold

LEMMA_SCORE = 0.8  # same word, other gender/number: "Советский" typed for "Советская"
FUZZY_FACTOR = 0.9  # a typo match never beats an exact one
MAX_TYPOS = 2  # edits a typed street word may differ by ("Совецкая" for "Советская"); one for short words
SHORT_WORD = 6
_ADJECTIVE = re.compile(r"(ая|яя|ий|ый|ой|ое|ее)$|^\d+-[а-я]{1,3}$")


class StreetLexicon:
    """Maps tokens to streets: the head word (last word) decides, qualifiers (first names) refine."""

    def __init__(self) -> None:
        self.streets: list[Street] = []
        self._by_key: dict[tuple[str, str], int] = {}
        self._head_forms: dict[str, set[int]] = {}
        self._head_lemmas: dict[str, set[int]] = {}
        self._qualifier_forms: dict[int, list[frozenset[str]]] = {}
        self._fuzzy_cache: dict[str, list[tuple[int, float]]] = {}
        self._vocabulary: list[str] = []

    def add(self, street_type: str, name: str) -> int:
        """Register a street (idempotent) and return its id."""
        code = canonical_street_type(street_type) or fold(street_type)
        key = (code, name_key(name))
        if key in self._by_key:
            return self._by_key[key]
        words = name_words(key[1])
        street = Street(len(self.streets), code, name.strip(), words[-1], tuple(words[:-1]))
        self.streets.append(street)
        self._by_key[key] = street.id
        forms = case_forms(words, code, declinable=all(_ADJECTIVE.search(w) for w in words))
        for form in forms[-1]:
            self._head_forms.setdefault(form, set()).add(street.id)
        self._head_lemmas.setdefault(lemma(street.head), set()).add(street.id)
        self._qualifier_forms[street.id] = forms[:-1]
        self._fuzzy_cache.clear()
        self._vocabulary = []
        return street.id

    def find(self, street_type: str, name: str) -> int | None:
        """Id of a registered street by type and name."""
        code = canonical_street_type(street_type) or fold(street_type)
        return self._by_key.get((code, name_key(name)))

    def head_matches(self, word: str, fuzzy: bool = True) -> list[tuple[int, float]]:
        """Streets whose head word this token may be, with a match score."""
        scores: dict[int, float] = {}
        for street_id in self._head_forms.get(word, ()):
            scores[street_id] = 1.0
        if len(word) >= 4:
            for street_id in self._head_lemmas.get(lemma(word), ()):
                scores.setdefault(street_id, LEMMA_SCORE)
        if not scores and fuzzy and len(word) >= 5 and word.isalpha():
            for street_id, score in self._fuzzy(word):
                scores[street_id] = max(scores.get(street_id, 0.0), score)
        return sorted(scores.items(), key=lambda item: -item[1])

    def _fuzzy(self, word: str) -> list[tuple[int, float]]:
        if word not in self._fuzzy_cache:
            if not self._vocabulary:
                self._vocabulary = list(self._head_forms)
            typos = 1 if len(word) <= SHORT_WORD else MAX_TYPOS
            found = process.extract(word, self._vocabulary, scorer=Levenshtein.distance, score_cutoff=typos, limit=5)
            self._fuzzy_cache[word] = [
                (street_id, FUZZY_FACTOR * (1.0 - distance / max(len(form), len(word))))
                for form, distance, _ in found
                for street_id in self._head_forms[form]
            ]
        return self._fuzzy_cache[word]

    def qualifier_index(self, street_id: int, word: str) -> int | None:
        """Which qualifier of the street the token is: full form, initial ("К." for Карла) or ordinal digits."""
        for i, forms in enumerate(self._qualifier_forms[street_id]):
            if qualifier_matches(forms, word):
                return i
        return None

    def prefix_matches(self, prefix: str) -> list[tuple[int, float]]:
        """Streets with a head form (or a qualifier) starting with a typed prefix, for live search."""
        scores: dict[int, float] = {}
        for form, ids in self._head_forms.items():
            if form.startswith(prefix):
                score = 1.0 if form == prefix else 0.8 + 0.15 * len(prefix) / len(form)
                for street_id in ids:
                    scores[street_id] = max(scores.get(street_id, 0.0), score)
        for street_id, forms in self._qualifier_forms.items():
            if street_id not in scores and any(f.startswith(prefix) for fs in forms for f in fs) and len(prefix) > 2:
                scores[street_id] = 0.7
        return sorted(scores.items(), key=lambda item: -item[1])
