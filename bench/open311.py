"""Open311 benchmark alone: requests/s through POST /open311/v2/requests.json on PostgreSQL next to the
contract API's POST /api/v1/appeals on the same server (the full run is part of bench/intake.py).

Prints one JSON line. Run: `.venv/bin/python bench/open311.py`.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import database, emit, postgres_available  # noqa: E402
from bench.intake import (  # noqa: E402
    CLIENT_THREADS,
    SECONDS,
    Server,
    _create_missing_tables,
    appeals_per_second,
    open311_per_second,
)


def main() -> None:
    figures: dict[str, Any] = {"bench": "open311", "client_threads": CLIENT_THREADS, "seconds": SECONDS,
                               "web_processes": 2}
    kind = "postgres" if postgres_available() else "sqlite"
    with database(kind) as url, tempfile.TemporaryDirectory() as folder:
        server = Server(url, folder)
        _create_missing_tables(url)  # before the first round: every process step must find its tables
        try:  # alternate, so both see the same warm-up and the same growing tables
            rounds = [(appeals_per_second(server), open311_per_second(server, f"bench_o311_{n}")) for n in range(2)]
        finally:
            server.stop()
    api = round(sum(r[0]["appeals_per_s"] for r in rounds) / len(rounds), 1)
    open311 = round(sum(r[1]["open311_per_s"] for r in rounds) / len(rounds), 1)
    ratio = round(open311 / max(api, 0.1), 2)
    figures[kind] = {"api_appeals_per_s": api, "open311_per_s": open311, "open311_vs_api": ratio,
                     "errors": sum(r[0]["errors"] + r[1]["errors"] for r in rounds)}
    emit(figures)


if __name__ == "__main__":
    main()
