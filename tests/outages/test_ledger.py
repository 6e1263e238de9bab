"""The interruption ledger: a month with three outages, its hours over the limits and the reduction."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

from flask import Flask
from openpyxl import load_workbook

from tests.appeals.city import City
from tests.outages.helpers import register
from workflows.clock import FakeClock
from workflows.outages import service
from workflows.outages.ledger import ledger, to_xlsx


def _three_outages_in_november(city: City, clock: FakeClock) -> None:
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    for day, planned_hours, actual_hours in ((3, 3, 3), (10, 4, 5), (17, 2, 2)):
        start = datetime(2026, 11, day, 7, 0, tzinfo=UTC)
        outage = register(city.water, [city.sovetskaya_45], start, planned_hours)
        service.restore_outage(outage.id, {"restored_at": (start + timedelta(hours=actual_hours)).isoformat()}, None)
    night = register(city.water, [city.sovetskaya_47], datetime(2026, 10, 31, 22, 0, tzinfo=UTC), 1)  # Nov 1 local
    service.restore_outage(night.id, {"restored_at": night.ends_at.isoformat()}, None)


def test_the_ledger_of_a_month_with_three_outages(app: Flask, city: City, clock: FakeClock) -> None:
    _three_outages_in_november(city, clock)
    [row] = ledger(city.sovetskaya_45.id, (2026, 11))
    assert row.resource == "cold_water" and row.month == "2026-11"
    assert row.hours == 10.0  # 3 + 5 + 2
    assert (row.single_limit, row.monthly_limit) == (4.0, 8.0)
    assert row.hours_over == 2.0  # max(one hour over 4 h once, two hours over 8 h a month)
    assert row.reduction_percent == 0.3


def test_the_ledger_counts_months_in_local_time_and_exports_to_excel(app: Flask, city: City, clock: FakeClock) -> None:
    _three_outages_in_november(city, clock)
    rows = ledger(month=(2026, 11))
    assert [(r.address, r.hours) for r in rows] == [("ул. Советская, д. 45", 10.0), ("ул. Советская, д. 47", 1.0)]
    sheet = load_workbook(BytesIO(to_xlsx(rows))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Адрес" and values[1][:4] == ("ул. Советская, д. 45", "холодная вода", "2026-11", 10.0)
    assert values[1][6:8] == (2.0, 0.3)
