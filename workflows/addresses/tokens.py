"""Tokenisation of address text: razdel words, split further and re-joined into house tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from razdel import tokenize as razdel_tokenize

# pieces inside one razdel token: ordinals ("2-й"), house numbers, hyphenated words, single symbols
_PIECE = re.compile(r"\d+-[а-яa-z]{1,3}\b(?!-)|\d+|[^\W\d_]+(?:-[^\W\d_]+)*|\S", re.IGNORECASE)
_HOUSE_LETTERS = frozenset("абвгдежзи")
SENTENCE_END = frozenset(".!?…\n")


@dataclass(frozen=True)
class Token:
    """A token: `text` is lower-case with ё folded to е, `raw` as written; `kind` word|num|house|punct."""

    text: str
    raw: str
    start: int
    stop: int
    kind: str

    @property
    def is_number(self) -> bool:
        return self.kind in ("num", "house")

    @property
    def capitalised(self) -> bool:
        return self.raw[:1].isupper()


def fold(text: str) -> str:
    """Lower-case and fold ё to е, keeping the length (positions stay valid)."""
    return text.lower().replace("ё", "е")


def _kind(text: str) -> str:
    if text.isdigit():
        return "num"
    if text[:1].isalpha() or re.match(r"\d+-", text):
        return "word"
    return "punct"


def _pieces(text: str) -> list[Token]:
    out: list[Token] = []
    for tok in razdel_tokenize(text):
        for m in _PIECE.finditer(tok.text):
            raw = m.group()
            start = tok.start + m.start()
            if re.fullmatch(r"\d+-[абвгдежзи]", fold(raw)):  # "12-а" is a house, not an ordinal
                out.append(Token(fold(raw).replace("-", ""), raw, start, start + len(raw), "house"))
                continue
            out.append(Token(fold(raw), raw, start, start + len(raw), _kind(raw)))
    return out


def _glued(a: Token, b: Token) -> bool:
    return a.stop == b.start


def _house_letter(tokens: list[Token], i: int) -> int:
    """Length of a letter suffix after the number at i ("12а", "12-а", "12 а"), 0 when none."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or len(nxt.text) != 1 or nxt.text not in _HOUSE_LETTERS:
        if nxt is not None and nxt.text == "-" and i + 2 < len(tokens) and _glued(nxt, tokens[i + 2]):
            letter = tokens[i + 2]
            if len(letter.text) == 1 and letter.text in _HOUSE_LETTERS and _glued(tokens[i], nxt):
                return 2
        return 0
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if after is not None and after.kind == "word" and _glued(nxt, after):
        return 0  # "12 ведер" is not a house letter
    if not _glued(tokens[i], nxt) and (after is None or after.kind != "punct"):
        return 0  # a detached single letter is a preposition ("5 в подъезде") unless it ends a phrase
    return 1


def _merge_houses(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind != "num":
            out.append(tok)
            i += 1
            continue
        text, stop, j = tok.text, tok.stop, i + 1
        extra = _house_letter(tokens, i)
        if extra:
            text, stop, j = text + tokens[i + extra].text, tokens[i + extra].stop, i + extra + 1
        if j + 1 < len(tokens) and tokens[j].text == "/" and tokens[j + 1].kind == "num":
            text, stop, j = f"{text}/{tokens[j + 1].text}", tokens[j + 1].stop, j + 2
        kind = "num" if text.isdigit() else "house"
        out.append(Token(text, text, tok.start, stop, kind))
        i = j
    return out


def tokenize(text: str) -> list[Token]:
    """Tokens of address-bearing text with house numbers joined ("112а", "5/2")."""
    return _merge_houses(_pieces(text))


def house_number(text: str) -> int | None:
    """Leading integer of a house token ("112а" -> 112)."""
    m = re.match(r"\d+", text)
    return int(m.group()) if m else None


def house_key(house: str) -> str:
    """Comparable house key: "112 А" -> "112а", "12-а" -> "12а"."""
    return fold(house).replace(" ", "").replace("-", "")
