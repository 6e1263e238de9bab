"""The measured comparison of docs/social.md: rules only vs the trained model only vs both (the shipped
classifier), on the held-out split, plus how the dispatcher levels split those posts.  bench/social_compare.py
prints it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from workflows.addresses import AddressIndex, BuildingRecord, street_label
from workflows.addresses.post_address import finder_for
from workflows.social import PostAnalysis, PostClassifier
from workflows.social.classifier import COMPLAINT_THRESHOLD, EMERGENCY_THRESHOLD
from workflows.social.evaluate import evaluate
from workflows.social.linear import softmax
from workflows.social_intake.rules_only import rules_view
from workflows.social_intake.settings import DEFAULTS
from workflows.social_intake.understanding import understand


def _address(text: str, index: AddressIndex) -> tuple[str | None, int | None]:
    found = finder_for(index).find(text)
    return found.address, found.building_id


class RulesOnly:
    """Keyword rules for complaint, category and emergency; the address resolver for the building."""

    def analyse(self, text: str, index: AddressIndex) -> PostAnalysis:
        view = rules_view(text)
        address, building = _address(text, index)
        return PostAnalysis(view.is_complaint, view.category, view.emergency, address, building, 1.0,
                            kind="complaint" if view.is_complaint else "other")


class ModelOnly:
    """The trained heads alone: no category cue boosts, no emergency rules."""

    def __init__(self, classifier: PostClassifier) -> None:
        self.model, self.classifier = classifier.model, classifier

    def _p(self, head: str, rows: list[int], scale: Any) -> Any:
        return softmax(self.model.heads[head].logits(rows, scale))

    def analyse(self, text: str, index: AddressIndex) -> PostAnalysis:
        content = self.classifier.content(text, index)
        rows, scale = self.classifier.rows(content)
        p_complaint = float(self._p("complaint", rows, scale)[1])
        category, emergency = None, False
        if p_complaint >= COMPLAINT_THRESHOLD:
            probabilities = self._p("category", *self.classifier.category_rows(content))
            category = self.model.heads["category"].classes[int(probabilities.argmax())]
            emergency = float(self._p("emergency", rows, scale)[1]) >= EMERGENCY_THRESHOLD
        address, building = _address(text, index)
        is_complaint = p_complaint >= COMPLAINT_THRESHOLD
        return PostAnalysis(is_complaint, category, emergency, address, building, p_complaint,
                            kind="complaint" if is_complaint else "other")


def _level(seen: Any) -> str:
    analysis = seen.analysis
    if not analysis.is_complaint:
        return "medium" if seen.p_complaint >= DEFAULTS["SOCIAL_LOW_CONFIDENCE"] else "low"
    if analysis.confidence >= DEFAULTS["SOCIAL_HIGH_CONFIDENCE"] and seen.rules_agree and analysis.building_id:
        return "high"
    return "medium"


def dispatcher_levels(classifier: PostClassifier, index: AddressIndex, posts: Sequence[Mapping[str, Any]],
                      records: Sequence[BuildingRecord]) -> dict[str, Any]:
    """Share of posts per level, how many automatic appeals were right, how many complaints were dropped."""
    by_address = {f"{street_label(r.street_type, r.street)}, д. {r.house}": r.id for r in records}
    levels: Counter[str] = Counter()
    right = dropped_complaints = 0
    for post in posts:
        seen = understand(str(post["text"]), index, classifier)
        level = _level(seen)
        levels[level] += 1
        expected = by_address.get(str(post.get("address")))
        if level == "high":
            right += bool(post["is_complaint"]) and seen.analysis.category == post["category"] and \
                seen.analysis.building_id == expected
        dropped_complaints += level == "low" and bool(post["is_complaint"])
    return {"high": levels["high"], "medium": levels["medium"], "low": levels["low"],
            "high_correct": round(right / max(levels["high"], 1), 4), "complaints_dropped": dropped_complaints}


def compare(classifier: PostClassifier, index: AddressIndex, posts: Sequence[Mapping[str, Any]],
            records: Sequence[BuildingRecord]) -> dict[str, dict[str, Any]]:
    options: dict[str, Any] = {"rules_only": RulesOnly(), "model_only": ModelOnly(classifier), "both": classifier}
    figures: dict[str, dict[str, Any]] = {name: evaluate(option, index, posts, records)
                                          for name, option in options.items()}
    figures["dispatcher"] = dispatcher_levels(classifier, index, posts, records)
    return figures
