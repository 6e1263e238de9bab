"""Every outage diagram parses, validates, and the process runs from registration to its end."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from engine import inspect_diagram
from tests.appeals.city import City
from tests.outages.helpers import register
from workflows.clock import FakeClock
from workflows.db import db
from workflows.outages import service
from workflows.runtime.models import ProcessInstance

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


@pytest.mark.parametrize("name", ["outage.bpmn", "outage_limits.dmn", "outage_approval.dmn"])
def test_the_diagram_validates(name: str) -> None:
    info = inspect_diagram(name, (BPMN / name).read_bytes())
    assert info.ids == [name.split(".")[0]]


def test_the_outage_process_runs_to_completion(app: Flask, city: City, clock: FakeClock) -> None:
    outage = register(city.water, [city.sovetskaya_45], clock.now(), 3)
    instance = db.session.get(ProcessInstance, outage.instance_id)
    assert instance is not None and instance.status == "waiting"
    service.restore_outage(outage.id, {}, None)
    assert db.session.get(ProcessInstance, outage.instance_id).status == "completed"  # type: ignore[union-attr]
