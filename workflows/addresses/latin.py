"""Latin letters in Russian posts: look-alike letters inside Cyrillic words, and whole transliterated words."""

from __future__ import annotations

import re

# Latin letters that look like Cyrillic ones; a word that mixes both scripts is read as Cyrillic
_HOMOGLYPHS = str.maketrans("aAbBcCeEHkKmMoOpPTxXyY", "аАьВсСеЕНкКмМоОрРТхХуУ")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# transliteration (ГОСТ-like and the common informal variants), longest first
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "щ"), ("sch", "щ"), ("tsk", "тск"), ("iya", "ия"), ("aya", "ая"), ("yaya", "яя"), ("zh", "ж"), ("kh", "х"),
    ("ts", "ц"), ("tz", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ju", "ю"), ("ya", "я"), ("ja", "я"),
    ("yo", "е"), ("jo", "е"), ("iy", "ий"), ("yy", "ый"), ("ye", "е"),
)
_SINGLE = {ord(a): b for a, b in zip("abvgdezijklmnoprstufhcwyq", "абвгдезийклмнопрстуфхквык", strict=True)}
_SINGLE[ord("x")] = "кс"


def mixed_script(word: str) -> bool:
    """True when a word has both Cyrillic and Latin letters ("Coветская")."""
    return not word.isascii() and bool(_LATIN.search(word)) and bool(_CYRILLIC.search(word))


def fix_homoglyphs(word: str) -> str:
    """Latin look-alikes of a mixed-script word replaced by Cyrillic letters (same length)."""
    return word.translate(_HOMOGLYPHS) if mixed_script(word) else word


def is_latin(word: str) -> bool:
    return word.isascii() and bool(_LATIN.search(word))


def transliterate(word: str) -> str:
    """Cyrillic reading of a transliterated word: "Kikvidze" -> "киквидзе", "Sovetskaya" -> "советская"."""
    text = word.lower()
    if text.startswith("e"):
        text = "э" + text[1:]  # "Entuziastov": a Russian word starts with э, not е
    for latin, cyrillic in _DIGRAPHS:
        text = text.replace(latin, cyrillic)
    return text.translate(_SINGLE)
