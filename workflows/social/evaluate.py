"""Held-out evaluation of the post classifier, shared by the tests and bench/social.py."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from workflows.addresses import AddressIndex, BuildingRecord, load_tambov_streets, street_label
from workflows.social.classifier import PostClassifier

HOUSES = range(1, 121)


def synthetic_registry() -> list[BuildingRecord]:
    """Every shipped Tambov street with houses 1..120 (ids from 1)."""
    rows = load_tambov_streets()
    return [
        BuildingRecord(n * len(HOUSES) + h, row.street_type, row.street, str(h), district=row.district)
        for n, row in enumerate(rows)
        for h in HOUSES
    ]


def _expected_building(post: Mapping[str, object], by_address: Mapping[tuple[str, str], int]) -> int | None:
    if not post.get("street") or not post.get("house"):
        return None
    return by_address.get((str(post["street"]), str(post["house"])))


def evaluate(classifier: PostClassifier, index: AddressIndex, posts: Sequence[Mapping[str, object]],
             records: Sequence[BuildingRecord]) -> dict[str, float]:
    """Complaint F1, category accuracy, building accuracy, invented buildings, emergency accuracy, posts/s."""
    by_address = {(street_label(r.street_type, r.street), r.house): r.id for r in records}
    tp = fp = fn = category_ok = complaints = building_ok = named = invented = emergency_ok = 0
    started = time.perf_counter()
    results = [classifier.analyse(str(post["text"]), index) for post in posts]
    elapsed = time.perf_counter() - started
    for post, result in zip(posts, results, strict=True):
        truth = bool(post["is_complaint"])
        tp += truth and result.is_complaint
        fp += (not truth) and result.is_complaint
        fn += truth and not result.is_complaint
        if truth:
            complaints += 1
            category_ok += result.category == post["category"]
            emergency_ok += result.emergency == bool(post["emergency"])
        expected = _expected_building(post, by_address)
        if expected is not None:
            named += 1
            building_ok += result.building_id == expected
        elif result.building_id is not None:
            invented += 1
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "posts": len(posts),
        "complaint_f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
        "category_accuracy": round(category_ok / max(complaints, 1), 4),
        "emergency_accuracy": round(emergency_ok / max(complaints, 1), 4),
        "building_accuracy": round(building_ok / max(named, 1), 4),
        "posts_naming_building": named,
        "invented_buildings": invented,
        "posts_per_second": round(len(posts) / elapsed, 1),
    }
