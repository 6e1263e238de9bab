"""The Russian production calendar the deadlines count on: transfers of 2024–2027 from the pinned `holidays`."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflows.calendar import add_working_days, is_working_day


@pytest.mark.parametrize(("day", "working"), [
    (date(2024, 4, 27), True),   # Saturday worked for 29 April
    (date(2024, 4, 29), False),
    (date(2024, 12, 28), True),  # Saturday worked for 30 December
    (date(2025, 5, 2), False),   # moved from 4 January
    (date(2025, 5, 8), False),
    (date(2025, 11, 1), True),   # Saturday worked for 3 November
    (date(2025, 12, 31), False),
    (date(2026, 1, 9), False),   # moved from 3 January
    (date(2026, 1, 12), True),
    (date(2026, 3, 9), False),   # 8 March on a Sunday
    (date(2026, 12, 31), False),  # moved from 4 January
    (date(2027, 1, 8), False),
    (date(2027, 2, 20), True),   # Saturday worked for 22 February
    (date(2027, 2, 22), False),
    (date(2027, 11, 5), False),  # moved from 2 January
    (date(2027, 12, 31), False),  # moved from 3 January
    (date(2026, 7, 15), True),
    (date(2026, 7, 18), False),  # an ordinary Saturday
])
def test_the_production_calendar(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_working_days_skip_the_new_year_holidays() -> None:
    # Tuesday 29 Dec 2026, 10:00 Moscow: the 30th is the last working day; 31 Dec – 10 Jan are off
    start = datetime(2026, 12, 29, 7, 0, tzinfo=UTC)
    assert add_working_days(start, 1) == datetime(2026, 12, 30, 7, 0, tzinfo=UTC)
    assert add_working_days(start, 2) == datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
    assert add_working_days(start, 3) == datetime(2027, 1, 12, 7, 0, tzinfo=UTC)
