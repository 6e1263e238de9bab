"""The serializer: Spiff's registry configured for our clock timers, task data types and
instance states that do not carry the spec."""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

from engine.timers import CLOCK_TIMERS


class DataTaskConverter(TaskConverter):
    """Spiff leaves task data raw for its JSON encoder; we return plain JSON-able dicts instead."""

    def to_dict(self, task: Any) -> dict[str, Any]:
        dct: dict[str, Any] = super().to_dict(task)
        if dct["data"]:
            dct["data"] = self.registry.convert(self.registry.clean(dct["data"]))
        if dct["delta"]:
            dct["delta"]["updates"] = self.registry.convert(self.registry.clean(dct["delta"]["updates"]))
        return dct


class StateConverter(BpmnWorkflowConverter):
    """A BpmnWorkflow as a dict WITHOUT spec/subprocess_specs; they are passed back on restore."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> Any:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        # subprocesses_from_dict pops entries; copy so the caller's state stays intact.
        self.subprocesses_from_dict(dict(dct["subprocesses"]), workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _make_registry() -> Any:
    config = deepcopy(SPIFF_CONFIG)
    config[BpmnWorkflow] = StateConverter
    config[Task] = DataTaskConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # Specs keep Spiff's timer type names; restoring them yields our clock-aware subclasses.
    for spiff_class, clock_class in CLOCK_TIMERS.items():
        TimerConditionalEventDefinitionConverter(clock_class, registry, spiff_class.__name__)
    registry.register(datetime, lambda v: {"value": v.isoformat()}, lambda v: datetime.fromisoformat(v["value"]))
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return registry


REGISTRY = _make_registry()
SERIALIZER_VERSION = VERSION


def spec_to_dict(spec: Any) -> dict[str, Any]:
    result: dict[str, Any] = REGISTRY.convert(spec)
    return result


def spec_from_dict(data: dict[str, Any]) -> Any:
    return REGISTRY.restore(data)


def state_to_dict(workflow: Any) -> dict[str, Any]:
    result: dict[str, Any] = REGISTRY.convert(workflow)
    return result


def state_from_dict(state: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]) -> Any:
    return REGISTRY.restore(state, spec=spec, subprocess_specs=subprocess_specs)
