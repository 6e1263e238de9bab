"""Rules only vs the trained model only vs both, on the held-out split; then the dispatcher levels.

python bench/social_compare.py  ->  one JSON line per option (figures as in bench/social.py)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflows.addresses import AddressIndex  # noqa: E402
from workflows.social import PostClassifier  # noqa: E402
from workflows.social.evaluate import synthetic_registry  # noqa: E402
from workflows.social.train import DEFAULT_DATA, read_examples  # noqa: E402
from workflows.social_intake.compare import compare  # noqa: E402


def main() -> None:
    records = synthetic_registry()
    figures = compare(PostClassifier.load(), AddressIndex(records), read_examples(DEFAULT_DATA, split="test"), records)
    for name, values in figures.items():
        print(json.dumps({"option": name, **values}, ensure_ascii=False))


if __name__ == "__main__":
    main()
