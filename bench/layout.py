"""Layout benchmark: generating the diagram (DI) of each bundled BPMN file from scratch, median and p95.

This is what the designer does for a diagram that arrives without shapes. Prints one JSON line.

Run: `.venv/bin/python bench/layout.py [--repeat 10]`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, timings_ms  # noqa: E402
from engine.layout import with_diagram, without_diagram  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    figures: dict[str, object] = {"bench": "layout", "repeat": args.repeat}
    for path in sorted((ROOT / "bpmn").glob("*.bpmn")):
        bare = without_diagram(path.read_bytes())
        figures[path.stem] = timings_ms(lambda bare=bare, name=path.name: with_diagram(bare, name), args.repeat)
    emit(figures)


if __name__ == "__main__":
    main()
