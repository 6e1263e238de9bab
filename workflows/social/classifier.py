"""PostClassifier: is a public post a complaint, of which category, is it an emergency, about which building."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workflows.addresses import AddressIndex, Candidate
from workflows.addresses.post_address import finder_for
from workflows.social.features import CATEGORY_WEIGHTS, features, weigh, without_addresses
from workflows.social.linear import MODEL_PATH, LinearModel, Matrix, encode, softmax
from workflows.social.rules import EMERGENCY_CATEGORIES, NON_COMPLAINT_KINDS, category_boosts, emergency_cue

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
    kind: str = "complaint"  # or what else the post is: event, ad, lost_pet, ... ("other" for an older model)


class PostClassifier:
    """The shipped linear model combined with keyword rules."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self._categories = model.heads["category"].classes

    @classmethod
    def load(cls, path: Path | str | None = None) -> PostClassifier:
        """Load the model file (the shipped one by default)."""
        return cls(LinearModel.load(Path(path) if path else MODEL_PATH))

    def rows(self, content: str) -> tuple[list[int], Matrix]:
        """Feature columns and values of a post's content (see `content`) for every head but the category's."""
        return encode(weigh(features(content)), self.model.vocabulary)

    def category_rows(self, content: str) -> tuple[list[int], Matrix]:
        """The same for the category head, which weighs char n-grams more (features.CATEGORY_WEIGHTS)."""
        return encode(weigh(features(content), CATEGORY_WEIGHTS), self.model.vocabulary)

    def _both_rows(self, content: str) -> tuple[tuple[list[int], Matrix], tuple[list[int], Matrix]]:
        names = features(content)
        vocabulary = self.model.vocabulary
        return encode(weigh(names), vocabulary), encode(weigh(names, CATEGORY_WEIGHTS), vocabulary)

    @staticmethod
    def content(text: str, index: AddressIndex | None) -> str:
        """The words the model reads: the post without its address mentions."""
        return without_addresses(text, finder_for(index).find(text).spans)

    def _head(self, name: str, rows: list[int], scale: Matrix) -> Matrix:
        return self.model.heads[name].logits(rows, scale)

    def _category(self, text: str, rows: list[int], scale: Matrix) -> tuple[str, float]:
        logits = self._head("category", rows, scale)
        for name, boost in category_boosts(text).items():
            logits[self._categories.index(name)] += boost
        probabilities = softmax(logits)
        best = int(probabilities.argmax())
        return self._categories[best], float(probabilities[best])

    def _kind(self, rows: list[int], scale: Matrix) -> str:
        """What a post that is not a complaint is (the best non-complaint class of the kind head)."""
        head = self.model.heads.get("kind")
        if head is None:
            return "other"
        probabilities = softmax(head.logits(rows, scale))
        allowed = [i for i, name in enumerate(head.classes) if name in NON_COMPLAINT_KINDS]
        return head.classes[max(allowed, key=lambda i: float(probabilities[i]))]

    def category_scores(self, text: str) -> tuple[float, dict[str, float]]:
        """The complaint probability and each category's probability (keyword boosts included)."""
        (rows, scale), (category_rows, category_scale) = self._both_rows(text)
        p_complaint = float(softmax(self._head("complaint", rows, scale))[1])
        logits = self._head("category", category_rows, category_scale)
        for name, boost in category_boosts(text).items():
            logits[self._categories.index(name)] += boost
        probabilities = softmax(logits)
        return p_complaint, {name: float(probabilities[i]) for i, name in enumerate(self._categories)}

    def analyse(self, text: str, index: AddressIndex | None) -> PostAnalysis:
        """Classify one post and find the building it names (None when it names none)."""
        found = finder_for(index).find(text)
        text = without_addresses(text, found.spans)
        (rows, scale), category_encoded = self._both_rows(text)
        p_complaint = float(softmax(self._head("complaint", rows, scale))[1])
        is_complaint = p_complaint >= COMPLAINT_THRESHOLD
        category, emergency, confidence = None, False, max(p_complaint, 1.0 - p_complaint)
        if is_complaint:
            category, p_category = self._category(text, *category_encoded)
            p_emergency = float(softmax(self._head("emergency", rows, scale))[1])
            emergency = emergency_cue(text, category) or (
                p_emergency >= EMERGENCY_THRESHOLD and category in EMERGENCY_CATEGORIES)
            confidence *= p_category
        kind = "complaint" if is_complaint else self._kind(rows, scale)
        return PostAnalysis(
            is_complaint=is_complaint,
            category=category,
            emergency=emergency,
            address=found.address,
            building_id=found.building_id,
            confidence=round(confidence, 4),
            candidates=found.candidates,
            kind=kind,
        )
