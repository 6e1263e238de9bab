"""Russian morphology for street names: declension forms and lemmas (pymorphy3, cached)."""

from __future__ import annotations

from functools import lru_cache

import pymorphy3

from workflows.addresses.tokens import fold

_ADJECTIVE_ENDINGS = ("ая", "яя", "ий", "ый", "ой", "ое", "ее")
# endings of singular adjective forms by gender, used when pymorphy3 offers no adjective parse
_RULE_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "femn": {"ая": ("ая", "ой", "ую", "ою"), "яя": ("яя", "ей", "юю", "ею")},
    "masc": {"ий": ("ий", "ого", "ому", "им", "ом"), "ый": ("ый", "ого", "ому", "ым", "ом"),
             "ой": ("ой", "ого", "ому", "им", "ом")},
    "neut": {"ое": ("ое", "ого", "ому", "им", "ом"), "ее": ("ее", "его", "ему", "им", "ем")},
}


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The process-wide analyzer (loading it costs about a tenth of a second and ~15 MB)."""
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Normal form of a word, lower-case with ё folded."""
    return fold(analyzer().parse(word)[0].normal_form)


def _rule_forms(word: str, gender: str) -> set[str]:
    for ending, forms in _RULE_FORMS.get(gender, {}).items():
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return {stem + f for f in forms}
    return {word}


@lru_cache(maxsize=100_000)
def word_forms(word: str, gender: str) -> frozenset[str]:
    """Singular case forms of a street-name word in the given gender; fixed words yield themselves."""
    w = fold(word)
    if not w.endswith(_ADJECTIVE_ENDINGS) or "-" in w:
        return frozenset({w})
    for parse in analyzer().parse(w):
        if "ADJF" in parse.tag and "nomn" in parse.tag:
            forms = {fold(f.word) for f in parse.lexeme if "sing" in f.tag and gender in f.tag and "ADJF" in f.tag}
            if w in forms:
                return frozenset(forms)
    return frozenset(_rule_forms(w, gender))
