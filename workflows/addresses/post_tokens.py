"""Tokens of a resident's post for the address grammar: numbers with their letters and ordinal endings,
words with Latin look-alikes fixed and transliterated words read in Cyrillic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.addresses.latin import fix_homoglyphs, is_latin, transliterate
from workflows.addresses.tokens import fold

_TOKEN = re.compile(
    r"(?P<qual>\d+-[^\W\d_]{4,})"  # "60-летия"
    r"|(?P<num>\d+)(?:-?(?P<suf>[^\W\d_]{1,3})(?![^\W\d_]))?"  # "45", "48а", "12-б", "45-м", "1-й"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"|(?P<punct>\S)"
)
HOUSE_LETTERS = frozenset("абвгдежзи")
ORDINAL_ENDINGS = frozenset({"й", "м", "я", "го", "ом", "ой", "ый", "ий", "ая", "ем", "ью", "ю", "х"})
SENTENCE_END = frozenset(".!?…")
MAX_DIGITS = 9


@dataclass(frozen=True)
class PostToken:
    """`kind`: word | num (a house-like number, maybe with a letter) | ord ("45-м") | punct.

    `text` is folded (lower case, ё -> е), Cyrillic; `value` the number of num/ord tokens.
    """

    text: str
    raw: str
    start: int
    stop: int
    kind: str
    value: int | None = None
    latin: bool = False

    @property
    def capitalised(self) -> bool:
        return self.raw[:1].isupper()


def _number(match: re.Match[str]) -> PostToken:
    digits, suffix = match.group("num"), fold(match.group("suf") or "")
    start, stop = match.start(), match.end()
    # a longer run of digits is no house or ordinal (and int() refuses 4,300 digits and more: a post of digits failed)
    value = int(digits) if len(digits) <= MAX_DIGITS else None
    if suffix in HOUSE_LETTERS and len(suffix) == 1:
        return PostToken(digits + suffix, match.group(), start, stop, "num", value)
    if suffix in ORDINAL_ENDINGS:
        return PostToken(f"{digits}-{suffix}", match.group(), start, stop, "ord", value)
    if suffix == "к":  # "5к2": the korpus marker glued to the number
        return PostToken(digits, digits, start, match.start("suf"), "num", value)
    stop = match.end("num")
    return PostToken(digits, digits, start, stop, "num", value)


def tokenize_post(text: str) -> list[PostToken]:
    """Tokens of a post in reading order."""
    out: list[PostToken] = []
    position = 0
    while position < len(text):
        match = _TOKEN.search(text, position)
        if match is None:
            break
        position = match.end()
        raw = match.group()
        if match.group("num") is not None:
            token = _number(match)
            out.append(token)
            if token.stop < match.end():  # the glued "к" of "5к2", or an unknown ending kept as a word
                rest = text[token.stop:match.end()]
                out.append(PostToken(fold(rest.lstrip("-")), rest, token.stop, match.end(), "word"))
        elif match.group("word") is not None:
            latin = is_latin(raw)
            word = transliterate(raw) if latin else fold(fix_homoglyphs(raw))
            out.append(PostToken(word, raw, match.start(), match.end(), "word", latin=latin))
        elif match.group("qual") is not None:
            out.append(PostToken(fold(raw), raw, match.start(), match.end(), "word"))
        else:
            out.append(PostToken(raw, raw, match.start(), match.end(), "punct"))
    return out
