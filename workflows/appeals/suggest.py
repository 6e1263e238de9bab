"""What the desk proposes for a caller's words: the category (the shipped text model plus the desk's own cue
table, `data/desk_cues.json`) and whether it sounds like an emergency."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workflows.addresses.tokens import fold
from workflows.social.classifier import PostClassifier
from workflows.social.rules import emergency_cue

CUES_PATH = Path(__file__).with_name("data") / "desk_cues.json"


@dataclass(frozen=True)
class Cue:
    category: str
    pattern: re.Pattern[str]
    weight: float  # added to the model's probability of the category when the pattern occurs


@dataclass(frozen=True)
class CueTable:
    cues: tuple[Cue, ...]
    other_below: float  # with no cue and a complaint probability below this, the call is «Другое»
    emergency: tuple[re.Pattern[str], ...]  # desk phrasings of emergencies the model's rules do not know


@lru_cache(maxsize=1)
def cue_table(path: Path = CUES_PATH) -> CueTable:
    raw = json.loads(path.read_text(encoding="utf-8"))
    cues = tuple(Cue(c["category"], re.compile(c["pattern"]), float(c["weight"])) for c in raw["cues"])
    return CueTable(cues, float(raw["other_below"]), tuple(re.compile(p) for p in raw["emergency"]))


@lru_cache(maxsize=1)
def model() -> PostClassifier:
    """The shipped model (not an instance's retrained one): the desk's suggestions stay what was measured."""
    return PostClassifier.load()


def ranked_categories(text: str) -> list[tuple[str, float]]:
    """Categories with their scores, best first."""
    folded = fold(text)
    p_complaint, scores = model().category_scores(text)
    table = cue_table()
    matched = False
    for cue in table.cues:
        if cue.pattern.search(folded):
            scores[cue.category] = scores.get(cue.category, 0.0) + cue.weight
            matched = True
    if not matched and p_complaint < table.other_below:
        scores["other"] = scores.get("other", 0.0) + 1.0
    return sorted(scores.items(), key=lambda item: -item[1])


def suggest(text: str) -> str | None:
    """The best category for the text; None for an empty text."""
    if not text.strip():
        return None
    return ranked_categories(text)[0][0]


def sounds_like_emergency(text: str, category: str | None) -> bool:
    folded = fold(text)
    return emergency_cue(text, category) or any(p.search(folded) for p in cue_table().emergency)
