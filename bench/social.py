"""Held-out figures of the social post classifier, printed as one JSON line.

python bench/social.py  ->  {"complaint_f1": ..., "category_accuracy": ..., "building_accuracy": ...,
"invented_buildings": ..., "posts_per_second": ..., "rss_mb": ...}
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflows.addresses import AddressIndex  # noqa: E402
from workflows.social import PostClassifier  # noqa: E402
from workflows.social.evaluate import evaluate, synthetic_registry  # noqa: E402
from workflows.social.train import DEFAULT_DATA, read_examples  # noqa: E402


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    started = time.perf_counter()
    classifier = PostClassifier.load()
    load_seconds = time.perf_counter() - started
    records = synthetic_registry()
    index = AddressIndex(records)
    # throughput first, on every post with cold caches, then the held-out metrics
    throughput = evaluate(classifier, index, read_examples(DEFAULT_DATA, split=None), records)
    figures = evaluate(classifier, index, read_examples(DEFAULT_DATA, split="test"), records)
    figures["posts_per_second"] = throughput["posts_per_second"]
    figures["load_seconds"] = round(load_seconds, 2)
    figures["buildings_in_registry"] = len(records)
    figures["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
