"""The services container: built once by create_app, checked at start-up, one table of inbound handlers."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import make_app
from workflows.clock import FakeClock, now
from workflows.services import InboundTable, Services, WiringError, install, services, services_of
from workflows.wiring import inbound_table


@pytest.fixture
def built(tmp_path: Path) -> Flask:
    return make_app(tmp_path)


def test_the_app_has_one_checked_container_and_tests_replace_its_clock(built: Flask) -> None:
    wired = services_of(built)
    assert wired.check() is wired
    fake = FakeClock()
    wired.clock = fake
    with built.app_context():
        assert services() is wired and now() == fake.now()
    assert str(wired.city_zone) == "Europe/Moscow"


def test_missing_wiring_fails_at_start_up_not_at_run_time(built: Flask) -> None:
    wired = services_of(built)
    without_task = dataclasses.replace(wired, tasks={k: v for k, v in wired.tasks.items() if k != "handle_inbound"})
    with pytest.raises(WiringError, match="task handle_inbound"):
        install(Flask("other"), without_task)
    without_hook = dataclasses.replace(wired, failure_hook=None)  # type: ignore[arg-type]
    with pytest.raises(WiringError, match="failure_hook"):
        without_hook.check()
    no_stop = InboundTable([(key, h) for key, h in wired.inbound.entries if key != "@stopped"])
    with pytest.raises(WiringError, match="inbound handler @stopped"):
        dataclasses.replace(wired, inbound=no_stop).check()
    with pytest.raises(WiringError, match="no services"):
        services_of(Flask("bare"))


def test_a_bad_time_zone_stops_the_app_from_starting(tmp_path: Path) -> None:
    with pytest.raises(WiringError, match="TIMEZONE"):
        make_app(tmp_path, TIMEZONE="Europe/Nowhere")


def test_inbound_handlers_are_one_explicit_table_with_chains_composed_once() -> None:
    table = inbound_table()
    assert table.keys() == ["ack", "@stopped", "@command", "@message", "@contact", "bot", "confirm",
                            "rep_join", "rep_leave", "outage_yes", "outage_no"]
    with pytest.raises(WiringError, match="twice"):
        InboundTable([("ack", print), ("ack", print)])
    extended = table.with_handler("resolved", print).with_handler("ack", print)
    assert extended.keys()[-1] == "resolved" and extended.get("ack") is print
    assert table.get("ack") is not print  # the app's table itself is not changed


def test_every_field_is_given_by_wiring(built: Flask) -> None:
    wired = services_of(built)
    assert isinstance(wired, Services)
    assert all(getattr(wired, f.name) is not None for f in dataclasses.fields(Services) if f.name != "limiter")
