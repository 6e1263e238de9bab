"""Train the post classifier from labelled posts: `python -m workflows.social.train [--data F] [--out F]`."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from workflows.addresses.post_address import street_list_finder
from workflows.social.features import CATEGORY_WEIGHTS, features, weigh, without_addresses
from workflows.social.linear import MODEL_PATH, LinearModel, encode, fit_head
from workflows.social.rules import CATEGORIES, POST_KINDS
from workflows.social.sparse import SparseRows

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "social" / "labelled.jsonl"
MIN_COUNT = 2  # a feature seen once in training carries no evidence


def read_examples(path: Path, split: str | None = "train") -> list[dict[str, object]]:
    """Labelled posts of one split (or all when split is None)."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if split is None or row.get("split") == split]


def _matrix(featured: list[dict[str, float]], vocabulary: dict[str, int]) -> SparseRows:
    return SparseRows.build([encode(weighted, vocabulary) for weighted in featured], len(vocabulary))


def train(examples: Iterable[Mapping[str, object]]) -> LinearModel:
    """Fit the complaint, kind, category and emergency heads on labelled posts (kind: posts that have one)."""
    rows = list(examples)
    finder = street_list_finder()
    names = [features(without_addresses(text, finder.find(text).spans)) for text in (str(row["text"]) for row in rows)]
    featured = [weigh(n) for n in names]
    counts = Counter(name for found in featured for name in found)
    vocabulary = {name: i for i, name in enumerate(sorted(n for n, c in counts.items() if c >= MIN_COUNT))}
    x = _matrix(featured, vocabulary)
    x_category = _matrix([weigh(n, CATEGORY_WEIGHTS) for n in names], vocabulary)
    complaint = ["yes" if row["is_complaint"] else "no" for row in rows]
    mask = np.array([bool(row["is_complaint"]) for row in rows])
    complaints = [row for row in rows if row["is_complaint"]]
    kinded = np.array([row.get("kind") in POST_KINDS for row in rows])
    kinds = [str(r["kind"]) for r in rows if r.get("kind") in POST_KINDS]
    heads = {
        "kind": fit_head(x.select(kinded), kinds, list(POST_KINDS)),
        "complaint": fit_head(x, complaint, ["no", "yes"]),
        "category": fit_head(x_category.select(mask), [str(r["category"]) for r in complaints], list(CATEGORIES)),
        "emergency": fit_head(x.select(mask), ["yes" if r["emergency"] else "no" for r in complaints], ["no", "yes"]),
    }
    return LinearModel(vocabulary, heads)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled posts (JSON lines)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    examples = read_examples(args.data)
    model = train(examples)
    model.save(args.out)
    elapsed = time.perf_counter() - started
    print(f"trained on {len(examples)} posts, {len(model.vocabulary)} features, {elapsed:.1f}s -> {args.out}")


if __name__ == "__main__":
    main()
