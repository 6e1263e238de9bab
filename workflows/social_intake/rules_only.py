"""A keyword-only reading of a post (no trained model): the "rules" side of "classifier and rules agree".

Also the "rules only" option of the measured comparison in docs/social.md.
"""
from __future__ import annotations

from dataclasses import dataclass

from workflows.addresses.tokens import fold
from workflows.social.lexicon import LEXICON
from workflows.social.rules import CATEGORIES, CATEGORY_CUES, emergency_cue

NOT_COMPLAINT_KINDS = ("advert", "notice", "thanks", "question")


@dataclass(frozen=True)
class RulesView:
    is_complaint: bool
    category: str | None
    emergency: bool


def _hits(folded: str, name: str) -> int:
    return len(LEXICON[name].findall(folded))


def rules_category(folded: str) -> str | None:
    """A strong cue first; otherwise the category whose lexicon stems occur most often."""
    cued = [name for name in CATEGORIES if name in CATEGORY_CUES and CATEGORY_CUES[name].search(folded)]
    if cued:
        return cued[0] if len(cued) == 1 else max(cued, key=lambda name: _hits(folded, name))
    counts = {name: _hits(folded, name) for name in CATEGORIES if name != "other"}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None


def rules_view(text: str) -> RulesView:
    """Complaint when a category cue occurs and advert/notice/thanks/question cues do not outweigh problem cues."""
    folded = fold(text)
    category = rules_category(folded)
    problem = _hits(folded, "problem")
    other = sum(_hits(folded, kind) for kind in NOT_COMPLAINT_KINDS)
    is_complaint = category is not None and problem >= other
    return RulesView(is_complaint, category if is_complaint else None,
                     is_complaint and emergency_cue(text, category))
