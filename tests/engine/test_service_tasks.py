"""Service tasks and script helpers reach the application only through Services."""

from __future__ import annotations

import pytest

from engine import ProcessRun, WorkflowError
from tests.engine.conftest import T0, StubServices, spec_for


def test_service_task_calls_services_with_evaluated_params_and_stores_result() -> None:
    services = StubServices({"routing.find_organization": {"id": 7, "name": "УК Жилсервис"}})
    spec = spec_for("service_task", ["service_task.bpmn"])
    run = ProcessRun.start(spec, {"building_id": 3, "category": "gas"}, T0, services, {"shout": str.upper})
    operation, params, data = services.calls[0]
    assert operation == "routing.find_organization"
    assert params == {"building_id": 3, "kind": "gas_emergency"} and data["building_id"] == 3
    assert run.data["organization"] == {"id": 7, "name": "УК Жилсервис"}
    assert services.calls[1][:2] == ("notify", {"organization_id": 7})
    assert run.completed and run.data["code"] == "GAS"


def test_failing_service_is_a_workflow_error_with_element_id() -> None:
    services = StubServices({"routing.find_organization": RuntimeError("db down")})
    spec = spec_for("service_task", ["service_task.bpmn"])
    with pytest.raises(WorkflowError) as caught:
        ProcessRun.start(spec, {"building_id": 3, "category": "gas"}, T0, services, {"shout": str.upper})
    assert caught.value.element_id == "find_organization" and "db down" in str(caught.value)
