"""The shipped list of real Tambov streets (for the demo city, tests and benchmarks)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from workflows.addresses.model import StreetRow

STREETS_CSV = Path(__file__).with_name("data") / "tambov_streets.csv"


@lru_cache(maxsize=1)
def _rows() -> tuple[StreetRow, ...]:
    with STREETS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            StreetRow(row["street_type"].strip(), row["street"].strip(), row["district"].strip())
            for row in csv.DictReader(handle)
        )


def load_tambov_streets() -> list[StreetRow]:
    """Real Tambov streets with a best-effort district: (street_type, street, district)."""
    return list(_rows())
