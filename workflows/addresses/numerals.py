"""House numbers written in words: "в сорок пятом доме", "дом двадцать восемь" (1..999)."""

from __future__ import annotations

# stems of cardinal and ordinal number words -> value; the longest matching stem wins
_STEMS: dict[str, int] = {
    "один": 1, "одн": 1, "перв": 1, "два": 2, "двух": 2, "втор": 2, "три": 3, "трех": 3, "трет": 3,
    "четыр": 4, "четвер": 4, "пят": 5, "шест": 6, "сем": 7, "седьм": 7, "восем": 8, "восьм": 8, "девят": 9,
    "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
    "сорок": 40, "пятьдесят": 50, "пятидесят": 50, "шестьдесят": 60, "шестидесят": 60, "семьдесят": 70,
    "семидесят": 70, "восемьдесят": 80, "восьмидесят": 80, "девяност": 90, "сто": 100, "сот": 100,
    "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300, "четыреста": 400, "четырехсот": 400,
}
_BY_LENGTH = sorted(_STEMS, key=len, reverse=True)
# word endings a number word may carry after its stem ("пятом", "сорокового", "двадцать")
_ENDINGS = ("", "ь", "ью", "и", "ый", "ой", "ий", "ом", "ым", "ого", "ому", "ая", "ую", "ей", "ое", "ем", "ого",
            "ех", "ам", "ами", "а", "ов", "овой", "овом", "ового", "овый", "ьем", "ьего", "ьему", "ья", "ье", "ьим")


def word_value(word: str) -> int | None:
    """Value of one number word, or None when it is not one ("сорок" -> 40, "пятом" -> 5)."""
    for stem in _BY_LENGTH:
        if word.startswith(stem) and word[len(stem):] in _ENDINGS:
            return _STEMS[stem]
    return None


def _combinable(total: int, value: int) -> bool:
    """A following word adds to the number when it is of a lower order: "сорок" + "пятом", "сто" + "два"."""
    if total >= 100:
        return value < 100
    if total >= 20 and total % 10 == 0:
        return value < 10
    return False


def read_number(words: list[str], start: int) -> tuple[int, int] | None:
    """A number spelled by the words from `start`: (value, index after it), or None."""
    first = word_value(words[start]) if start < len(words) else None
    if first is None:
        return None
    total, i = first, start + 1
    while i < len(words):
        value = word_value(words[i])
        if value is None or not _combinable(total, value):
            break
        total, i = total + value, i + 1
    return total, i
