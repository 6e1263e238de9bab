"""Value objects of the address resolver and the canonical Russian address form."""

from __future__ import annotations

from dataclasses import dataclass, field

# canonical street type -> (abbreviation used in the canonical address, grammatical gender of the name)
STREET_TYPES: dict[str, tuple[str, str]] = {
    "ул": ("ул.", "femn"),
    "пер": ("пер.", "masc"),
    "пр-т": ("пр-т", "masc"),
    "проезд": ("проезд", "masc"),
    "б-р": ("б-р", "masc"),
    "ш": ("ш.", "neut"),
    "пл": ("пл.", "femn"),
    "наб": ("наб.", "femn"),
    "туп": ("туп.", "masc"),
    "мкр": ("мкр", "masc"),
    "кв-л": ("кв-л", "masc"),
}

# surface prefixes of street-type words (any case form) -> canonical street type; order matters
_TYPE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("улиц", "ул"), ("переул", "пер"), ("проспект", "пр-т"), ("проезд", "проезд"),
    ("бульвар", "б-р"), ("шоссе", "ш"), ("площад", "пл"), ("набережн", "наб"),
    ("тупик", "туп"), ("микрорайон", "мкр"), ("квартал", "кв-л"),
)
_TYPE_ABBREVIATIONS: dict[str, str] = {
    "ул": "ул", "пер": "пер", "п-к": "пер", "пр-т": "пр-т", "пр-кт": "пр-т", "просп": "пр-т",
    "пр": "пр-т", "пр-д": "проезд", "б-р": "б-р", "бул": "б-р", "бульв": "б-р", "ш": "ш", "пл": "пл",
    "наб": "наб", "туп": "туп", "мкр": "мкр", "мкрн": "мкр", "кв-л": "кв-л",
}


def canonical_street_type(word: str) -> str | None:
    """Map a street-type word or abbreviation ("улица", "ул.", "пр-т", "переулке") to its canonical code."""
    w = word.lower().replace("ё", "е").strip(" .")
    if w in STREET_TYPES:
        return w
    if w in _TYPE_ABBREVIATIONS:
        return _TYPE_ABBREVIATIONS[w]
    for prefix, code in _TYPE_PREFIXES:
        if w.startswith(prefix):
            return code
    return None


@dataclass(frozen=True)
class BuildingRecord:
    """One building of the registry; `house` is like "45", "112а", "5/2"."""

    id: int
    street_type: str
    street: str
    house: str
    korpus: str = ""
    building: str = ""
    district: str = ""


@dataclass(frozen=True)
class Candidate:
    """A building that may be meant, with a score in 0..1."""

    building_id: int
    score: float
    address: str


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving text: `building_id` only when unambiguous, else ranked candidates."""

    building_id: int | None
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)
    matched_text: str | None = None


@dataclass(frozen=True)
class StreetRow:
    """A street of the shipped street list."""

    street_type: str
    street: str
    district: str


def street_label(street_type: str, street: str) -> str:
    """Canonical street part, e.g. "ул. Советская", "б-р Энтузиастов"."""
    code = canonical_street_type(street_type) or street_type
    abbreviation = STREET_TYPES.get(code, (street_type, ""))[0]
    return f"{abbreviation} {street}".strip()


def house_label(house: str, korpus: str = "", building: str = "") -> str:
    """House part, e.g. "д. 45 к. 2 стр. 1"."""
    label = f"д. {house}"
    if korpus:
        label += f" к. {korpus}"
    if building:
        label += f" стр. {building}"
    return label


def format_address(record: BuildingRecord) -> str:
    """Canonical Russian form of a building address: "ул. Советская, д. 45 к. 2"."""
    street = street_label(record.street_type, record.street)
    return f"{street}, {house_label(record.house, record.korpus, record.building)}"
