"""Text features for the post classifier: lemmas, lemma bigrams, negation marks and char n-grams."""

from __future__ import annotations

import re

from workflows.addresses.morph import lemma
from workflows.addresses.tokens import fold
from workflows.social.lexicon import lexicon_features

_WORD = re.compile(r"[а-яa-z]+|\d+")
_NEGATIONS = frozenset({"не", "нет", "без", "ни"})
CHAR_NGRAMS = (3, 4, 5)


def words(text: str) -> list[str]:
    """Folded word tokens of a post (numbers kept as a class)."""
    return ["<num>" if w.isdigit() else w for w in _WORD.findall(fold(text))]


def _char_ngrams(word: str) -> list[str]:
    padded = f" {word} "
    return [f"c:{padded[i:i + n]}" for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


# weight of a feature by its prefix: char n-grams are many and each says little; lexicon hits say much
GROUP_WEIGHTS: dict[str, float] = {"w": 1.0, "b": 0.8, "n": 1.0, "c": 0.25, "k": 2.5, "p": 0.5}
# The category head reads the char n-grams twice as strongly: a problem written in other words still shares
# word pieces with training posts. Chosen inside the training part only: trained on its older posts and checked
# on its template posts and the other way round (category accuracy 0.927 / 0.978 at 0.25, 0.936 / 0.976 at 0.5,
# 0.934 / 0.974 at 0.75, 0.931 / 0.967 at 1.0); the complaint, kind and emergency heads keep 0.25.
CATEGORY_WEIGHTS: dict[str, float] = {**GROUP_WEIGHTS, "c": 0.5}


ADDRESS_MARK = " адрес "


def without_addresses(text: str, spans: list[list[int]]) -> str:
    """The post with every address mention replaced by one word: street names and house numbers say nothing
    about the problem, and a street never seen in training must not sway the category."""
    out, position = [], 0
    for start, stop in sorted(spans):
        if start < position:
            continue
        out += [text[position:start], ADDRESS_MARK]
        position = stop
    out.append(text[position:])
    return "".join(out)


def weighted_features(text: str, weights: dict[str, float] = GROUP_WEIGHTS) -> dict[str, float]:
    """Feature name -> weight (before the row is L2-normalised)."""
    return weigh(features(text), weights)


def weigh(names: list[str], weights: dict[str, float] = GROUP_WEIGHTS) -> dict[str, float]:
    return {name: weights[name[0]] for name in names}


def features(text: str) -> list[str]:
    """Feature names of a post; presence only (duplicates removed)."""
    tokens = words(text)
    lemmas = [t if t == "<num>" else lemma(t) for t in tokens]
    out: list[str] = [f"w:{w}" for w in lemmas]
    out += [f"b:{a}_{b}" for a, b in zip(lemmas, lemmas[1:], strict=False)]
    out += [f"n:{b}" for a, b in zip(lemmas, lemmas[1:], strict=False) if a in _NEGATIONS]
    for token in tokens:
        if len(token) >= 3 and token != "<num>":
            out += _char_ngrams(token)
    out += lexicon_features(text)
    if "!" in text:
        out.append("p:!")
    if "?" in text:
        out.append("p:?")
    return list(dict.fromkeys(out))
