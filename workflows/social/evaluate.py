"""Held-out evaluation of the post classifier, shared by the tests and bench/social.py."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from workflows.addresses import AddressIndex, BuildingRecord, load_tambov_streets, street_label
from workflows.social.classifier import PostAnalysis, PostClassifier
from workflows.social.rules import POST_KINDS

HOUSES = range(1, 121)


def synthetic_registry() -> list[BuildingRecord]:
    """Every shipped Tambov street with houses 1..120 (ids from 1)."""
    rows = load_tambov_streets()
    return [
        BuildingRecord(n * len(HOUSES) + h, row.street_type, row.street, str(h), district=row.district)
        for n, row in enumerate(rows)
        for h in HOUSES
    ]


def _expected_building(post: Mapping[str, Any], by_address: Mapping[str, int]) -> int | None:
    return by_address.get(str(post.get("address")))


def _ratio(good: int, total: int) -> float:
    return round(good / total, 4) if total else 0.0


def per_kind(posts: Sequence[Mapping[str, Any]], results: Sequence[PostAnalysis]) -> dict[str, dict[str, float]]:
    """Precision and recall of every post kind (posts labelled with a kind only)."""
    out: dict[str, dict[str, float]] = {}
    pairs = [(str(p["kind"]), r.kind) for p, r in zip(posts, results, strict=True) if p.get("kind")]
    for kind in POST_KINDS:
        tp = sum(truth == kind and said == kind for truth, said in pairs)
        said_n = sum(said == kind for _, said in pairs)
        truth_n = sum(truth == kind for truth, _ in pairs)
        out[kind] = {"precision": _ratio(tp, said_n), "recall": _ratio(tp, truth_n), "posts": truth_n}
    return out


def _address_figures(posts: Sequence[Mapping[str, Any]], results: Sequence[PostAnalysis],
                     by_address: Mapping[str, int]) -> dict[str, float]:
    counts = {"in": [0, 0], "out": [0, 0]}
    spurious = building_ok = named = invented = 0
    for post, result in zip(posts, results, strict=True):
        expected = post.get("address")
        if expected is None:
            spurious += result.address is not None
        else:
            split = counts["in" if post.get("street_in_registry") else "out"]
            split[0] += result.address == expected
            split[1] += 1
        building = _expected_building(post, by_address)
        if building is not None:
            named += 1
            building_ok += result.building_id == building
        elif result.building_id is not None:
            invented += 1
    return {
        "address_accuracy_registry_street": _ratio(*counts["in"]),
        "address_accuracy_other_street": _ratio(*counts["out"]),
        "posts_with_registry_street": counts["in"][1],
        "posts_with_other_street": counts["out"][1],
        "addresses_where_none": spurious,
        "building_accuracy": _ratio(building_ok, named),
        "posts_naming_building": named,
        "invented_buildings": invented,
    }


def evaluate(classifier: PostClassifier, index: AddressIndex, posts: Sequence[Mapping[str, Any]],
             records: Sequence[BuildingRecord]) -> dict[str, Any]:
    """Complaint F1, category and emergency accuracy, address accuracy by street, buildings, per kind, posts/s."""
    by_address = {f"{street_label(r.street_type, r.street)}, д. {r.house}": r.id for r in records}
    started = time.perf_counter()
    results = [classifier.analyse(str(post["text"]), index) for post in posts]
    elapsed = time.perf_counter() - started
    tp = fp = fn = category_ok = complaints = emergency_ok = 0
    for post, result in zip(posts, results, strict=True):
        truth = bool(post["is_complaint"])
        tp += truth and result.is_complaint
        fp += (not truth) and result.is_complaint
        fn += truth and not result.is_complaint
        if truth:
            complaints += 1
            category_ok += result.category == post["category"]
            emergency_ok += result.emergency == bool(post["emergency"])
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "posts": len(posts),
        "complaint_f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
        "complaint_precision": round(precision, 4),
        "complaint_recall": round(recall, 4),
        "category_accuracy": _ratio(category_ok, complaints),
        "emergency_accuracy": _ratio(emergency_ok, complaints),
        **_address_figures(posts, results, by_address),
        "kinds": per_kind(posts, results),
        "posts_per_second": round(len(posts) / elapsed, 1),
    }
