"""Russian plural forms by the rule: the last digit, except 11–14."""
from __future__ import annotations

import pytest

from workflows.plural import plural, plural_form

DOM = ("дом", "дома", "домов")


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 домов"), (1, "1 дом"), (2, "2 дома"), (4, "4 дома"), (5, "5 домов"), (11, "11 домов"),
    (12, "12 домов"), (14, "14 домов"), (21, "21 дом"), (22, "22 дома"), (25, "25 домов"), (101, "101 дом"),
    (111, "111 домов"), (112, "112 домов"), (1004, "1004 дома"), (-3, "-3 дома"),
])
def test_plural_follows_the_russian_rule(count: int, text: str) -> None:
    assert plural(count, *DOM) == text


def test_plural_form_is_the_word_alone() -> None:
    assert [plural_form(n, "обращение", "обращения", "обращений") for n in (1, 3, 7)] == [
        "обращение", "обращения", "обращений"]
