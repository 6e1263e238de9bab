"""Rebuild posts.jsonl: seeded synthetic posts (templates x streets x phrasings x typos) + hand-written ones.

Run from the repository root: `python tests/data/social/generate.py`. Phrasings and frames whose index
% 3 == 2 appear only in the test split, so held-out metrics are measured on unseen wording.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

from handwritten import HANDWRITTEN  # noqa: E402
from phrases import (  # noqa: E402
    ADDRESS_FORMS,
    COMPLAINT_FRAMES,
    DURATIONS,
    NO_ADDRESS,
    NON_COMPLAINTS,
    PLEAS,
    PROBLEMS,
)

from workflows.addresses import StreetRow, load_tambov_streets, street_label  # noqa: E402
from workflows.addresses.morph import analyzer  # noqa: E402

SEED = 20240611
COMPLAINTS_PER_CATEGORY = 22
NON_COMPLAINT_POSTS = 110
DATES = ["15 мая", "3 июня", "1 октября", "20 числа", "в понедельник", "завтра", "12.07"]
TYPE_WORDS = {
    "ул.": ["ул.", "улица", "ул"], "б-р": ["б-р", "бульвар"], "ш.": ["ш.", "шоссе"], "пл.": ["пл.", "площадь"],
}


def held_out(i: int) -> bool:
    return i % 3 == 2


def declined(name: str, case: str = "loct") -> str:
    """Street name in a prepositional/dative case ("Советская" -> "Советской"); fixed names stay."""
    words = name.split()
    if not all(w.endswith(("ая", "ое", "ий", "ый")) for w in words):
        return name
    out = []
    for word in words:
        parse = next((p for p in analyzer().parse(word.lower()) if "ADJF" in p.tag), None)
        form = parse.inflect({case}) if parse else None
        out.append(form.word.capitalize() if form else word)
    return " ".join(out)


def typos(text: str, rng: random.Random) -> str:
    """Social-media noise: lower case, ё->е, a dropped or swapped letter, repeated punctuation, emoji."""
    if rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.5:
        text = text.replace("ё", "е")
    if rng.random() < 0.35 and len(text) > 20:
        i = rng.randrange(5, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:] if rng.random() < 0.5 else text[:i] + text[i + 1:]
    if rng.random() < 0.2:
        text += rng.choice([" 😡", "!!!", " 🤬", ")))", " ((("])
    return text


def address_phrase(street: StreetRow, house: int, form: str, rng: random.Random) -> str:
    kind = rng.choice(TYPE_WORDS.get(street.street_type, [street.street_type]))
    return form.format(s=street.street, l=declined(street.street), t=kind, h=house, k=rng.randint(1, 140))


def complaint(category: str, test: bool, rng: random.Random, streets: list[StreetRow]) -> dict[str, object]:
    phrases = [p for i, p in enumerate(PROBLEMS[category]) if held_out(i) == test]
    frames = [f for i, f in enumerate(COMPLAINT_FRAMES) if held_out(i) == test or not test]
    forms = [f for i, f in enumerate(ADDRESS_FORMS) if held_out(i) == test or not test]
    phrase = rng.choice(phrases)
    emergency, phrase = phrase.startswith("!"), phrase.lstrip("!").format(n=rng.randint(2, 5))
    street, house = rng.choice(streets), rng.randint(1, 120)
    named = rng.random() < 0.65
    where = address_phrase(street, house, rng.choice(forms), rng) if named else rng.choice(NO_ADDRESS)
    frame = rng.choice(frames) if named else rng.choice(frames).replace("адрес {a}", "{a}")
    text = frame.format(p=phrase, a=where, d=rng.choice(DURATIONS), x=rng.choice(PLEAS))
    text = " ".join(text.split()).strip(" ,.")
    text = text[0].upper() + text[1:]
    return {"text": typos(text, rng), "is_complaint": True, "category": category, "emergency": emergency,
            "street": street_label(street.street_type, street.street) if named else None,
            "house": str(house) if named else None}


def non_complaint(test: bool, rng: random.Random, streets: list[StreetRow]) -> dict[str, object]:
    template = rng.choice([t for i, t in enumerate(NON_COMPLAINTS) if held_out(i) == test])
    street, house = rng.choice(streets), rng.randint(1, 120)
    kind = rng.choice(TYPE_WORDS.get(street.street_type, [street.street_type]))
    where = address_phrase(street, house, rng.choice(["{s} {h}", "{t} {s}, д. {h}", "на {l} {h}"]), rng)
    text = template.format(a=where, l=declined(street.street), t=kind, h=house, date=rng.choice(DATES),
                           n=rng.randint(1, 40))
    named = "{a}" in template or "{h}" in template
    return {"text": typos(text, rng), "is_complaint": False, "category": None, "emergency": False,
            "street": street_label(street.street_type, street.street) if "{a}" in template or "{l}" in template
            else None, "house": str(house) if named else None}


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    names = Counter(s.street for s in load_tambov_streets())
    # a name shared by two streets (ул. and пл. Комсомольская) cannot be labelled from the text alone
    streets = [s for s in load_tambov_streets() if s.street_type in TYPE_WORDS and names[s.street] == 1]
    posts: list[dict[str, object]] = []
    for category in PROBLEMS:
        for k in range(COMPLAINTS_PER_CATEGORY):
            test = k % 10 in (2, 5, 8)
            posts.append({**complaint(category, test, rng, streets), "split": "test" if test else "train"})
    for k in range(NON_COMPLAINT_POSTS):
        test = k % 10 in (2, 5, 8)
        posts.append({**non_complaint(test, rng, streets), "split": "test" if test else "train"})
    for k, (text, is_complaint, category, emergency, street, house) in enumerate(HANDWRITTEN):
        posts.append({"text": text, "is_complaint": is_complaint, "category": category, "emergency": emergency,
                      "street": street, "house": house, "split": "test" if k % 4 == 1 else "train"})
    return [{"id": f"p{i:04d}", **post} for i, post in enumerate(posts)]


def main() -> None:
    posts = build()
    with (HERE / "posts.jsonl").open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post, ensure_ascii=False) + "\n")
    test = sum(p["split"] == "test" for p in posts)
    print(f"{len(posts)} posts, {test} test ({test / len(posts):.0%})")


if __name__ == "__main__":
    main()
