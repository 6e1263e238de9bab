"""The street gazetteer: every street the city is known to have (registry + shipped lists), with word forms,
colloquial names and typo-tolerant lookup that never turns one street into a different one.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from workflows.addresses.model import canonical_street_type
from workflows.addresses.street_names import ADJECTIVE_FORM
from workflows.addresses.street_words import Street, case_forms, name_key, name_words, qualifier_matches
from workflows.addresses.tambov import load_tambov_streets
from workflows.addresses.tokens import fold

GAZETTEER_CSV = Path(__file__).with_name("data") / "tambov_gazetteer.csv"
FUZZY_CUTOFF = 85.0  # rapidfuzz ratio for a misspelt street word
FUZZY_SCORE = 0.9
_ADJECTIVE = re.compile(r"(ая|яя|ий|ый|ой|ое|ее)$")
_ALIAS_ENDINGS = ("ка", "ки", "ке", "ку", "кой", "кою")


@dataclass(frozen=True)
class GazetteerRow:
    """A line of the street list file: type, name, colloquial names."""

    street_type: str
    street: str
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_gazetteer_rows(path: Path = GAZETTEER_CSV) -> tuple[GazetteerRow, ...]:
    """The shipped street list file (street_type, street, aliases separated by "|")."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            GazetteerRow(row["street_type"].strip(), row["street"].strip(),
                         tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()))
            for row in csv.DictReader(handle)
        )


def _shape(word: str) -> bool:
    """True for adjective-like forms ("Мичуринская"), False for others ("Мичурина"): a typo keeps the shape."""
    return bool(ADJECTIVE_FORM.search(word))


class Gazetteer:
    """Street words -> streets: exact case forms, colloquial names, and typos of the same shape."""

    def __init__(self) -> None:
        self.entries: list[Street] = []
        self._by_key: dict[tuple[str, str], int] = {}
        self._head_forms: dict[str, set[int]] = {}
        self._aliases: dict[str, set[int]] = {}
        self._qualifier_forms: dict[int, list[frozenset[str]]] = {}
        self._vocabulary: list[str] = []
        self._fuzzy_cache: dict[str, list[tuple[int, float]]] = {}

    def add(self, street_type: str, name: str, aliases: Sequence[str] = ()) -> int:
        """Register a street (idempotent) with its colloquial names; return its id."""
        code = canonical_street_type(street_type) or fold(street_type).strip(" .")
        key = (code, name_key(name))
        entry_id = self._by_key.get(key)
        if entry_id is None:
            words = name_words(key[1])
            entry_id = len(self.entries)
            self.entries.append(Street(entry_id, code, name.strip(), words[-1], tuple(words[:-1])))
            self._by_key[key] = entry_id
            forms = case_forms(words, code, declinable=all(_ADJECTIVE.search(w) or w[:1].isdigit() for w in words))
            for form in forms[-1]:
                self._head_forms.setdefault(form, set()).add(entry_id)
            self._qualifier_forms[entry_id] = forms[:-1]
            self._vocabulary, self._fuzzy_cache = [], {}
        for alias in aliases:
            base = fold(alias)
            stem = base[:-2] if base.endswith("ка") else base
            for ending in _ALIAS_ENDINGS if base.endswith("ка") else ("",):
                self._aliases.setdefault(stem + ending, set()).add(entry_id)
        return entry_id

    def find(self, street_type: str, name: str) -> int | None:
        code = canonical_street_type(street_type) or fold(street_type).strip(" .")
        return self._by_key.get((code, name_key(name)))

    def exact(self, word: str) -> list[int]:
        """Streets whose last name word has this form ("советской" -> ул. Советская)."""
        return sorted(self._head_forms.get(word, ()))

    def alias(self, word: str) -> list[int]:
        """Streets called so colloquially ("интернационалке" -> ул. Интернациональная)."""
        return sorted(self._aliases.get(word, ()))

    def fuzzy(self, word: str) -> list[tuple[int, float]]:
        """Streets a misspelt word may be; never a word of another shape ("Мичурина" is not "Мичуринская")."""
        if len(word) < 5 or not word.isalpha() or word in self._head_forms:
            return []
        if word not in self._fuzzy_cache:
            if not self._vocabulary:
                self._vocabulary = list(self._head_forms)
            found = process.extract(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
            self._fuzzy_cache[word] = [
                (entry_id, round(FUZZY_SCORE * score / 100.0, 4))
                for form, score, _ in found
                if abs(len(form) - len(word)) <= 2 and form[0] == word[0] and _shape(form) == _shape(word)
                for entry_id in sorted(self._head_forms[form])
            ]
        return self._fuzzy_cache[word]

    def qualifier_matches(self, entry_id: int, word: str, position: int) -> bool:
        """Whether a token is the entry's qualifier at `position`: full form, initial ("К" for Карла) or digits."""
        return qualifier_matches(self._qualifier_forms[entry_id][position], word)


def build_gazetteer(registry_streets: Iterable[tuple[str, str]] = (),
                    rows: Iterable[GazetteerRow] | None = None) -> Gazetteer:
    """Registry streets first, then the shipped Tambov street list and the gazetteer file."""
    gazetteer = Gazetteer()
    for street_type, street in registry_streets:
        gazetteer.add(street_type, street)
    for row in load_tambov_streets():
        gazetteer.add(row.street_type, row.street)
    for extra in load_gazetteer_rows() if rows is None else rows:
        gazetteer.add(extra.street_type, extra.street, extra.aliases)
    return gazetteer
