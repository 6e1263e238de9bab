"""The words around a house number, and the korpus after it, for both readers of house numbers: the registry's
(mentions.py: the desk, the index) and the post reader's (houses.py); each adds its own few words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

HOUSE_WORDS = frozenset({"д", "дом", "доме", "дома", "дому", "домом", "№", "номер"})
KORPUS_MARKERS = frozenset({"к", "корп", "корпус", "корпуса", "корпусе"})
# words after a number that make it a quantity, not a house ("3 дня", "12 градусов")
UNIT_PREFIXES = ("градус", "час", "дн", "ден", "недел", "мес", "минут", "мин", "сек", "лет", "год", "руб", "тыс",
                 "раз", "сут", "чел", "подъезд", "этаж", "метр", "литр", "штук", "утра", "вечера", "ночи",
                 "числ", "январ", "феврал", "март", "апрел", "мая", "июн", "июл", "август", "сентябр", "октябр",
                 "ноябр", "декабр", "семей", "домов", "машин", "%", "°")


class Marked(Protocol):
    """A token of either tokenizer (tokens.Token, post_tokens.PostToken)."""

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...


def number_after_marker(tokens: Sequence[Marked], j: int, markers: frozenset[str]) -> tuple[str, int]:
    """A korpus (or building) number after position j ("к2", ", к. 2", "корпус 2") and the last index used;
    ("", j) when none follows."""
    k = j + 1
    if k < len(tokens) and tokens[k].text == ",":
        k += 1
    if k < len(tokens) and tokens[k].text in markers:
        k += 1
        if k < len(tokens) and tokens[k].text == ".":
            k += 1
        if k < len(tokens) and tokens[k].kind == "num":
            return tokens[k].text, k
    return "", j
