"""Russian plural forms: 1 дом, 2 дома, 5 домов, 11 домов, 21 дом, 22 дома.  The one place that knows the rule."""
from __future__ import annotations


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """The word for `count`: `one` for 1, 21, 101…; `few` for 2–4, 22–24…; `many` for 0, 5–20, 11–14, 25…"""
    tens, units = abs(count) % 100, abs(count) % 10
    if 11 <= tens <= 14:
        return many
    if units == 1:
        return one
    if 2 <= units <= 4:
        return few
    return many


def plural(count: int, one: str, few: str, many: str) -> str:
    """'4 дома', '11 домов', '21 дом'."""
    return f"{count} {plural_form(count, one, few, many)}"
