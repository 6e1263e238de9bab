"""PostClassifier: is a public post a complaint, of which category, is it an emergency, about which building."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workflows.addresses import AddressIndex, Candidate, load_tambov_streets
from workflows.social.features import weighted_features
from workflows.social.linear import MODEL_PATH, LinearModel, Matrix, encode, softmax
from workflows.social.rules import EMERGENCY_CATEGORIES, category_boosts, emergency_cue

COMPLAINT_THRESHOLD = 0.5
EMERGENCY_THRESHOLD = 0.5


@dataclass(frozen=True)
class PostAnalysis:
    """What a post says: complaint or not, category, emergency, and the building it names."""

    is_complaint: bool
    category: str | None
    emergency: bool
    address: str | None
    building_id: int | None
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)


@lru_cache(maxsize=1)
def street_only_index() -> AddressIndex:
    """Index of the shipped Tambov streets without buildings: finds addresses when no registry is given."""
    return AddressIndex([], streets=load_tambov_streets())


class PostClassifier:
    """The shipped linear model combined with keyword rules."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self._categories = model.heads["category"].classes

    @classmethod
    def load(cls, path: Path | str | None = None) -> PostClassifier:
        """Load the model file (the shipped one by default)."""
        return cls(LinearModel.load(Path(path) if path else MODEL_PATH))

    def _rows(self, text: str) -> tuple[list[int], Matrix]:
        return encode(weighted_features(text), self.model.vocabulary)

    def _head(self, name: str, rows: list[int], scale: Matrix) -> Matrix:
        return self.model.heads[name].logits(rows, scale)

    def _category(self, text: str, rows: list[int], scale: Matrix) -> tuple[str, float]:
        logits = self._head("category", rows, scale)
        for name, boost in category_boosts(text).items():
            logits[self._categories.index(name)] += boost
        probabilities = softmax(logits)
        best = int(probabilities.argmax())
        return self._categories[best], float(probabilities[best])

    def category_scores(self, text: str) -> tuple[float, dict[str, float]]:
        """The complaint probability and each category's probability (keyword boosts included)."""
        rows, scale = self._rows(text)
        p_complaint = float(softmax(self._head("complaint", rows, scale))[1])
        logits = self._head("category", rows, scale)
        for name, boost in category_boosts(text).items():
            logits[self._categories.index(name)] += boost
        probabilities = softmax(logits)
        return p_complaint, {name: float(probabilities[i]) for i, name in enumerate(self._categories)}

    def analyse(self, text: str, index: AddressIndex | None) -> PostAnalysis:
        """Classify one post and find the building it names (None when it names none)."""
        rows, scale = self._rows(text)
        p_complaint = float(softmax(self._head("complaint", rows, scale))[1])
        is_complaint = p_complaint >= COMPLAINT_THRESHOLD
        category, emergency, confidence = None, False, max(p_complaint, 1.0 - p_complaint)
        if is_complaint:
            category, p_category = self._category(text, rows, scale)
            p_emergency = float(softmax(self._head("emergency", rows, scale))[1])
            emergency = emergency_cue(text, category) or (
                p_emergency >= EMERGENCY_THRESHOLD and category in EMERGENCY_CATEGORIES)
            confidence *= p_category
        resolution = (index or street_only_index()).find_in_text(text)
        return PostAnalysis(
            is_complaint=is_complaint,
            category=category,
            emergency=emergency,
            address=resolution.matched_text,
            building_id=resolution.building_id if index is not None else None,
            confidence=round(confidence, 4),
            candidates=resolution.candidates if index is not None else [],
        )
