"""Row ids typed by people and clients: only short runs of ASCII digits become ids."""
from __future__ import annotations

MAX_ID = 2**31 - 1  # PostgreSQL `integer`; bigger numbers would overflow a bound parameter


def as_id(raw: str | None) -> int | None:
    """The id `raw` spells (`"42"`), or None for anything else (`"²"`, `"-1"`, `"99999999999999999999"`)."""
    if not raw or len(raw) > 10 or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def digits(raw: str, longest: int = 9) -> bool:
    """`raw` is 1..`longest` ASCII digits (`str.isdigit` also accepts "²", which `int()` refuses)."""
    return 0 < len(raw) <= longest and raw.isascii() and raw.isdigit()
