"""Russian address parsing and resolution against a building registry (no Flask, no database)."""

from workflows.addresses.index import AddressIndex
from workflows.addresses.model import (
    BuildingRecord,
    Candidate,
    Resolution,
    StreetRow,
    canonical_street_type,
    format_address,
    street_label,
)
from workflows.addresses.tambov import load_tambov_streets

__all__ = [
    "AddressIndex",
    "BuildingRecord",
    "Candidate",
    "Resolution",
    "StreetRow",
    "canonical_street_type",
    "format_address",
    "load_tambov_streets",
    "street_label",
]
