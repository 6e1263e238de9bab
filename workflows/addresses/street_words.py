"""A street's words as both street lists read them (the registry's lexicon, streets.py, and the post reader's
gazetteer, gazetteer.py): the street record, its folded words, their case forms, and a qualifier match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.addresses.model import STREET_TYPES, street_label
from workflows.addresses.morph import word_forms
from workflows.addresses.tokens import fold


@dataclass(frozen=True)
class Street:
    """A distinct street: canonical type code, name as registered, folded head word and qualifiers before it."""

    id: int
    street_type: str
    name: str
    head: str
    qualifiers: tuple[str, ...]

    @property
    def label(self) -> str:
        return street_label(self.street_type, self.name)

    @property
    def numbered(self) -> bool:
        """Names like "8 Марта" or "60-летия Октября": the number is part of the name and must be written."""
        return bool(self.qualifiers) and self.qualifiers[0][:1].isdigit()


def name_key(name: str) -> str:
    """The name as streets are looked up by: folded, trimmed."""
    return fold(name).strip()


def name_words(key: str) -> list[str]:
    """The words of a folded name ("карла маркса", "1-я пролетарская"); dots separate like spaces."""
    return [w for w in re.split(r"[\s.]+", key) if w]


def case_forms(words: list[str], street_type: str, declinable: bool) -> list[frozenset[str]]:
    """Each word's forms in every case, in the gender of the street type; as written when the name does not decline."""
    gender = STREET_TYPES.get(street_type, ("", "femn"))[1]
    return [word_forms(w, gender) if declinable else frozenset({w}) for w in words]


def qualifier_matches(forms: frozenset[str], word: str) -> bool:
    """Whether a token is this qualifier: one of its forms, its initial ("К" for Карла) or its digits ("1" for 1-я)."""
    sample = next(iter(forms))
    if word in forms:
        return True
    if len(word) == 1 and word.isalpha() and not sample[:1].isdigit():
        return sample.startswith(word)
    return word.isdigit() and sample.split("-")[0] == word
