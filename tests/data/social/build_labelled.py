"""Rebuild labelled.jsonl, the labelled set of the post classifier: `python tests/data/social/build_labelled.py`.

- train: the earlier posts.jsonl (all of it) plus posts from the training templates (kinds_train.py, phrases.py);
- test (held-out): posts from heldout.py only — other wording, frames, address forms and posts, written apart.
Each post: id, text, kind, is_complaint, category, emergency, address (canonical, as the post names it, or
null), street_in_registry (the registry of the tests is every street of tambov_streets.csv), split.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2])]

import heldout  # noqa: E402
import kinds_train  # noqa: E402
from phrases import COMPLAINT_FRAMES, DURATIONS, NO_ADDRESS, PLEAS, PROBLEMS  # noqa: E402

from workflows.addresses import load_tambov_streets  # noqa: E402
from workflows.addresses.gazetteer import load_gazetteer_rows  # noqa: E402
from workflows.addresses.model import canonical_street_type, street_label  # noqa: E402
from workflows.addresses.morph import analyzer  # noqa: E402

SEED = 20261205
TRAIN_PER_CATEGORY, TEST_PER_CATEGORY = 36, 14
TRAIN_PER_KIND, TEST_PER_KIND = 32, 14
TYPE_NOM = {"ул": ["ул.", "улица", "ул"], "пер": ["пер.", "переулок"], "проезд": ["проезд", "пр-д"],
            "пр-т": ["пр-т", "проспект", "пр-кт"], "б-р": ["б-р", "бульвар"], "пл": ["пл.", "площадь"],
            "наб": ["наб.", "набережная"], "ш": ["ш.", "шоссе"]}
TYPE_DOT = {"ул": "ул.", "пер": "пер.", "проезд": "пр-д ", "пр-т": "пр-т ", "б-р": "б-р ", "пл": "пл.",
            "наб": "наб.", "ш": "ш."}
TYPE_LOC = {"ул": "на улице", "пер": "в переулке", "проезд": "в проезде", "пр-т": "на проспекте",
            "б-р": "на бульваре", "пл": "на площади", "наб": "на набережной", "ш": "на шоссе"}
TYPE_DAT = {"ул": "улице", "пер": "переулку", "проезд": "проезду", "пр-т": "проспекту", "б-р": "бульвару",
            "пл": "площади", "наб": "набережной", "ш": "шоссе"}
GENDER = {"ул": "femn", "пер": "masc", "проезд": "masc", "пр-т": "masc", "б-р": "masc", "пл": "femn",
          "наб": "femn", "ш": "neut"}
SPELLED = {3: "третьем", 5: "пятом", 7: "седьмом", 9: "девятом", 12: "двенадцатом", 18: "восемнадцатом",
           21: "двадцать первом", 33: "тридцать третьем", 45: "сорок пятом", 64: "шестьдесят четвёртом",
           90: "девяностом", 100: "сотом", 116: "сто шестнадцатом"}
LATIN = dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziyklmnoprstufye", strict=True)) | {
    "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ю": "yu", "я": "ya"}
LOOKALIKE = {"о": "o", "е": "e", "а": "a", "с": "c", "р": "p"}
DATES = ["12 мая", "в субботу", "15.06", "в воскресенье", "1 сентября", "завтра"]
PHONES = ["8-915-872-14-09", "+7 953 120-44-18", "89106502233"]
ALIASES = {"Интернациональная": "Интернационалке", "Пролетарская": "Пролетарке", "Мичуринская": "Мичуринке"}


class Street:
    def __init__(self, street_type: str, name: str, in_registry: bool, unique: bool) -> None:
        self.code = canonical_street_type(street_type) or street_type
        self.name, self.in_registry, self.unique = name, in_registry, unique

    def case(self, case: str) -> str:
        words = self.name.split()
        if not all(w.endswith(("ая", "ое", "ий", "ый", "ой")) for w in words):
            return self.name
        out = []
        for word in words:
            parse = next((p for p in analyzer().parse(word.lower()) if "ADJF" in p.tag), None)
            form = parse.inflect({case, "sing", GENDER[self.code]}) if parse else None
            out.append(form.word.capitalize() if form else word)
        return " ".join(out)

    def label(self) -> str:
        return street_label(self.code, self.name)


def streets() -> dict[str, list[Street]]:
    registry = [(r.street_type, r.street) for r in load_tambov_streets()]
    extra = [(r.street_type, r.street) for r in load_gazetteer_rows()]
    names = Counter(name for _, name in dict.fromkeys(registry + extra))
    registry_keys = set(registry)
    usable = [(t, n) for t, n in dict.fromkeys(registry + extra) if canonical_street_type(t) in TYPE_NOM
              and (not n[:1].isdigit() or n.startswith(("8 ", "9 ", "60-", "50 ")))]
    known = [Street(t, n, (t, n) in registry_keys, names[n] == 1) for t, n in usable]
    unknown = [Street(t, n, False, True) for t, n in heldout.UNKNOWN_STREETS]
    return {"registry": [s for s in known if s.in_registry], "known_other": [s for s in known if not s.in_registry],
            "unknown": unknown}


def _mixed(name: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(name) if c in LOOKALIKE and i > 0]
    i = rng.choice(spots)
    return name[:i] + LOOKALIKE[name[i]] + name[i + 1:]


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(2, len(name) - 4)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:] if rng.random() < 0.5 else name[:i] + name[i + 1:]


def _pick_street(form: str, pools: dict[str, list[Street]], rng: random.Random, test: bool) -> Street:
    typed = "{t}" in form or "{tl}" in form or "{td}" in form or "{tdot}" in form
    if "{alias}" in form:
        wanted = rng.choice(list(ALIASES))
        return next(s for s in pools["registry"] if s.name == wanted)
    if any(k in form for k in ("{lat}", "{mixed}", "{typo}")):
        return rng.choice([s for s in pools["registry"] if s.unique and len(s.name) >= 7 and " " not in s.name])
    pool = rng.choice(["registry", "registry", "known_other", "unknown"] if typed else ["registry", "known_other"])
    choices = [s for s in pools[pool] if typed or s.unique]
    return rng.choice(choices)


def address(forms: list[tuple[str, str]], pools: dict[str, list[Street]], rng: random.Random,
            test: bool) -> tuple[str, str, bool]:
    """(phrase, canonical label, street in registry)."""
    form, houses = rng.choice(forms)
    street = _pick_street(form, pools, rng, test)
    h = rng.choice(list(SPELLED)) if "{hw}" in form else rng.randint(1, 150)
    h2, k, letter = h + 2, rng.randint(1, 3), rng.choice("аб")
    phrase = form.format(
        t=rng.choice(TYPE_NOM[street.code]), tl=TYPE_LOC[street.code], td=TYPE_DAT[street.code],
        tdot=TYPE_DOT[street.code], s=street.name, l=street.case("loct"), dn=street.case("datv"), h=h, h2=h2, k=k,
        ho=f"{h}-м", hw=SPELLED.get(h, ""), alias=ALIASES.get(street.name, ""), letter=letter,
        lat="".join(LATIN.get(c, c) for c in street.name.lower()).capitalize(),
        mixed=_mixed(street.name, rng) if "{mixed}" in form else "",
        typo=_typo(street.name, rng) if "{typo}" in form else "")
    label = street.label()
    house = {"one": f"{h}", "contrast": f"{h}", "korpus": f"{h} к. {k}", "two": f"{h}, {h2}",
             "letter": f"{h}{letter}"}.get(houses)
    return phrase, f"{label}, д. {house}" if house else label, street.in_registry


def _noise(text: str, rng: random.Random) -> str:
    """Social-media noise outside the address: ё -> е, a swapped letter, repeated punctuation."""
    if rng.random() < 0.5:
        text = text.replace("ё", "е")
    if rng.random() < 0.3 and len(text) > 12:
        i = rng.randrange(3, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def _finish(text: str, rng: random.Random) -> str:
    text = " ".join(text.split()).strip(" ,.")
    text = text[0].upper() + text[1:]
    if rng.random() < 0.2:
        text = text.lower()
    return text + rng.choice(["", "", "!!!", " 😡", ")))", "..."])


def complaint(category: str, test: bool, pools: dict[str, list[Street]], rng: random.Random) -> dict[str, object]:
    problems = heldout.PROBLEMS_B[category] if test else PROBLEMS[category] + kinds_train.PROBLEMS_EXTRA[category]
    frames = heldout.FRAMES_B if test else COMPLAINT_FRAMES + kinds_train.FRAMES_EXTRA
    forms = heldout.ADDRESS_FORMS_B if test else kinds_train.ADDRESS_FORMS_TRAIN
    phrase = rng.choice(problems)
    emergency, phrase = phrase.startswith("!"), _noise(phrase.lstrip("!").format(n=rng.randint(2, 5)), rng)
    named = rng.random() < 0.75
    where, label, in_registry = address(forms, pools, rng, test) if named else (
        rng.choice(heldout.NO_ADDRESS_B if test else NO_ADDRESS), None, None)
    frame = rng.choice(frames)
    text = frame.format(p=phrase, a=where, d=rng.choice(heldout.DURATIONS_B if test else DURATIONS),
                        x=rng.choice(heldout.PLEAS_B if test else PLEAS))
    return {"text": _finish(text, rng), "kind": "complaint", "is_complaint": True, "category": category,
            "emergency": emergency, "address": label, "street_in_registry": in_registry}


SIMPLE_FORMS = [("{t} {s}, д. {h}", "one"), ("{s} {h}", "one"), ("{t} {s}", "none"), ("{s}, {h}", "one")]


def non_complaint(kind: str, test: bool, pools: dict[str, list[Street]], rng: random.Random) -> dict[str, object]:
    template = rng.choice(heldout.KINDS_B[kind] if test else kinds_train.KINDS[kind])
    where, label, in_registry = address(SIMPLE_FORMS, pools, rng, test) if "{a}" in template else ("", None, None)
    text = template.format(a=where, date=rng.choice(DATES), n=rng.randint(1, 40), phone=rng.choice(PHONES))
    return {"text": _finish(_noise(text, rng) if "{a}" not in template else text, rng), "kind": kind,
            "is_complaint": False, "category": None, "emergency": False, "address": label,
            "street_in_registry": in_registry}


def _earlier_posts(registry: set[str]) -> list[dict[str, object]]:
    """posts.jsonl (the earlier set), all as training posts; its non-complaints carry no kind."""
    out = []
    for line in (HERE / "posts.jsonl").read_text(encoding="utf-8").splitlines():
        post = json.loads(line)
        street, house = post.pop("street"), post.pop("house")
        post.pop("id")
        label = f"{street}, д. {house}" if street and house else street
        out.append({**post, "kind": "complaint" if post["is_complaint"] else None, "address": label,
                    "street_in_registry": (street in registry) if street else None, "split": "train"})
    return out


def build() -> list[dict[str, object]]:
    pools = streets()
    registry = {s.label() for s in pools["registry"]}
    posts = _earlier_posts(registry)
    for test, per_category, per_kind in ((False, TRAIN_PER_CATEGORY, TRAIN_PER_KIND),
                                         (True, TEST_PER_CATEGORY, TEST_PER_KIND)):
        split = "test" if test else "train"
        rng = random.Random(f"{SEED}-{split}")  # the held-out posts do not change when the training part grows
        for category in PROBLEMS:
            posts += [{**complaint(category, test, pools, rng), "split": split} for _ in range(per_category)]
        for kind in kinds_train.KINDS:
            posts += [{**non_complaint(kind, test, pools, rng), "split": split} for _ in range(per_kind)]
    for text, kind, category, emergency, label in heldout.HANDWRITTEN_B:
        in_registry = label.split(",")[0] in registry if label else None
        posts.append({"text": text, "kind": kind, "is_complaint": kind == "complaint", "category": category,
                      "emergency": emergency, "address": label, "street_in_registry": in_registry, "split": "test"})
    return [{"id": f"s{i:04d}", **post} for i, post in enumerate(posts)]


def main() -> None:
    posts = build()
    with (HERE / "labelled.jsonl").open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post, ensure_ascii=False) + "\n")
    test = [p for p in posts if p["split"] == "test"]
    new = [p for p in posts if p["kind"] is not None and not str(p["id"]).startswith("p")]
    print(f"{len(posts)} posts, {len(test)} held-out, {len(new)} with a kind")


if __name__ == "__main__":
    main()
