"""Normal form of a street name the gazetteer does not know, in the gender of its street type."""

from __future__ import annotations

import re
from functools import lru_cache

from workflows.addresses.model import STREET_TYPES
from workflows.addresses.morph import analyzer

ADJECTIVE_FORM = re.compile(r"(ая|яя|ий|ый|ой|ое|ее|ую|юю|ого|его|ому|ему|ым|им|ом|ем|ей)$")


@lru_cache(maxsize=20_000)
def _nominative(word: str, gender: str) -> str:
    """"Тихом" (пер.) -> "Тихий", "Садовой" (ул.) -> "Садовая"; other words as written."""
    lower = word.lower()
    if not ADJECTIVE_FORM.search(lower):
        return word
    for parse in analyzer().parse(lower):
        if "ADJF" in parse.tag:
            form = parse.inflect({"nomn", "sing", gender})
            if form is not None:
                return form.word
    return lower


def nominative_name(words: list[str], street_type: str) -> str:
    """The street name in nominative, capitalised word by word ("переулке тихом" -> "Тихий")."""
    gender = STREET_TYPES.get(street_type, ("", "femn"))[1]
    out = []
    for word in words:
        if word[:1].isdigit():
            out.append(word.lower())
            continue
        normal = _nominative(word, gender)
        out.append(normal[:1].upper() + normal[1:])
    return " ".join(out)
