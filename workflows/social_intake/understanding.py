"""What a post says, for dispatch: the classifier's analysis plus top categories, buildings and address spans."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

from workflows.addresses import AddressIndex
from workflows.addresses.post_address import finder_for
from workflows.social import PostAnalysis, PostClassifier
from workflows.social.linear import softmax
from workflows.social.rules import category_boosts
from workflows.social_intake.rules_only import rules_view
from workflows.social_intake.settings import model_path

CACHE_KEY = "otklik.social.classifier"
TOP = 3
_lock = threading.Lock()


@dataclass(frozen=True)
class Understanding:
    analysis: PostAnalysis
    p_complaint: float
    rules_agree: bool
    categories: list[dict[str, Any]] = field(default_factory=list)  # [{code, score}], best first
    buildings: list[dict[str, Any]] = field(default_factory=list)  # [{building_id, address, score}]
    spans: list[list[int]] = field(default_factory=list)  # [start, stop] of address mentions in the text

    def as_json(self) -> dict[str, Any]:
        return {"p_complaint": self.p_complaint, "categories": self.categories, "buildings": self.buildings,
                "spans": self.spans}


def classifier() -> PostClassifier:
    """The instance model (written by `otklik social retrain`) when present, else the shipped one."""
    path = model_path()
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    cached = current_app.extensions.get(CACHE_KEY)
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[no-any-return]
    with _lock:
        loaded = PostClassifier.load(path if stamp else None)
        current_app.extensions[CACHE_KEY] = (stamp, loaded)
    return loaded


def forget_classifier() -> None:
    current_app.extensions.pop(CACHE_KEY, None)


def _scores(model: PostClassifier, text: str, index: AddressIndex) -> tuple[float, list[dict[str, Any]]]:
    text = model.content(text, index)
    rows, scale = model.rows(text)
    p_complaint = float(softmax(model.model.heads["complaint"].logits(rows, scale))[1])
    head = model.model.heads["category"]
    logits = head.logits(*model.category_rows(text))
    for name, boost in category_boosts(text).items():
        logits[head.classes.index(name)] += boost
    probabilities = softmax(logits)
    ranked = sorted(zip(head.classes, probabilities.tolist(), strict=True), key=lambda item: -item[1])
    return p_complaint, [{"code": code, "score": round(score, 3)} for code, score in ranked[:TOP]]


def address_spans(text: str, index: AddressIndex) -> list[list[int]]:
    """Character spans of the address mentions in `text` (to highlight them)."""
    return finder_for(index).find(text).spans


def understand(text: str, index: AddressIndex, model: PostClassifier | None = None) -> Understanding:
    model = model or classifier()
    analysis = model.analyse(text, index)
    p_complaint, categories = _scores(model, text, index)
    rules = rules_view(text)
    agree = analysis.is_complaint and rules.is_complaint and rules.category == analysis.category
    buildings = [{"building_id": c.building_id, "address": c.address, "score": round(c.score, 3)}
                 for c in analysis.candidates[:TOP]]
    return Understanding(analysis, round(p_complaint, 4), agree, categories, buildings, address_spans(text, index))


def model_file() -> Path | None:
    path = model_path()
    return path if path.exists() else None
