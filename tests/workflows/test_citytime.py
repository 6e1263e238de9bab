"""One place for the city's time zone: the setting moves the calendar, deadlines, texts and screens together."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Flask

from web.ui import localtime
from workflows import citytime
from workflows.calendar import is_working_day
from workflows.outages.texts import local as outage_local
from workflows.residents.chats import local_time as chat_local
from workflows.working_hours import add_working_hours

WORKDAY = (time(9), time(18))

# Friday 4 December 2026, 20:30 UTC: Friday 23:30 in Moscow, already Saturday 07:30 in Vladivostok.
FRIDAY_EVENING = datetime(2026, 12, 4, 20, 30, tzinfo=UTC)


def test_outside_an_application_the_city_is_on_moscow_time() -> None:
    assert citytime.zone().key == "Europe/Moscow"
    assert citytime.moment_text(FRIDAY_EVENING) == "04.12.2026 23:30"
    assert citytime.moment_text(None, "уточняется") == "уточняется"
    assert is_working_day(FRIDAY_EVENING)
    assert add_working_hours(FRIDAY_EVENING, timedelta(hours=1), WORKDAY) == datetime(2026, 12, 7, 7, tzinfo=UTC)


def test_the_setting_moves_every_reader(app: Flask) -> None:
    app.config["TIMEZONE"] = "Asia/Vladivostok"
    assert citytime.zone().key == "Asia/Vladivostok"
    assert not is_working_day(FRIDAY_EVENING)  # the calendar no longer hard-codes Moscow
    assert add_working_hours(FRIDAY_EVENING, timedelta(hours=1), WORKDAY) == datetime(2026, 12, 7, 0, tzinfo=UTC)
    assert localtime(FRIDAY_EVENING) == outage_local(FRIDAY_EVENING) == "05.12.2026 06:30"
    assert citytime.day_text(FRIDAY_EVENING) == "05.12.2026"
    assert citytime.attach(datetime(2026, 12, 5, 6, 30)) == FRIDAY_EVENING
    app.config["TIMEZONE"] = "Europe/Moscow"
    assert localtime(FRIDAY_EVENING) == "04.12.2026 23:30"


def test_short_chat_times(app: Flask) -> None:
    assert citytime.short_text(FRIDAY_EVENING, FRIDAY_EVENING - timedelta(hours=2)) == "23:30"
    assert citytime.short_text(FRIDAY_EVENING, FRIDAY_EVENING - timedelta(days=1)) == "04.12 23:30"
    assert chat_local(FRIDAY_EVENING) in ("23:30", "04.12 23:30")
