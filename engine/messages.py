"""Message catch events: which correlation values a waiting event expects, and delivery.

Expected values: for each correlation property of the message, the
``spiffworkflow:processVariableCorrelation`` expression if the event has one, otherwise the
message's ``correlationPropertyRetrievalExpression``, evaluated on the waiting task's data. A sent
payload's values come from the retrieval expressions evaluated on the payload. A message is
delivered only where every expected value is present in the payload and equal.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from engine.script_engine import SandboxEnvironment


def message_definitions(task: Any) -> list[Any]:
    """The message definitions a waiting task catches: its own, or those of an event-based gateway."""
    definition = task.task_spec.event_definition
    if isinstance(definition, MessageEventDefinition):
        return [definition]
    if isinstance(definition, MultipleEventDefinition):
        return [d for d in definition.event_definitions if isinstance(d, MessageEventDefinition)]
    return []


def waiting_message_tasks(workflow: Any) -> list[tuple[Any, Any]]:
    """(task, message definition) for every waiting catch (top workflow and subprocesses)."""
    return [
        (task, definition)
        for task in workflow.event_manager.tasks.values()
        if task.state == TaskState.WAITING
        for definition in message_definitions(task)
    ]


def _values(env: SandboxEnvironment, properties: list[Any], context: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for prop in properties:
        try:
            values[prop.name] = env.evaluate(prop.retrieval_expression, context)
        except Exception:  # a value the data does not have is simply not known yet
            continue
    return values


def expected_correlation(env: SandboxEnvironment, task: Any, definition: Any) -> dict[str, Any]:
    values = _values(env, definition.correlation_properties, task.data)
    values.update(_values(env, getattr(definition, "process_correlations", []), task.data))
    return values


def payload_correlation(env: SandboxEnvironment, definition: Any, payload: dict[str, Any]) -> dict[str, Any]:
    return _values(env, definition.correlation_properties, payload)


def matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return all(name in actual and actual[name] == value for name, value in expected.items())


def deliver(task: Any, definition: Any, payload: dict[str, Any], correlation: dict[str, Any]) -> None:
    """Hand the payload to one waiting task and let it become READY."""
    payload = deepcopy(payload)
    # Spiff keeps correlations as {key: {property: value}} and compares them on later catches.
    event = BpmnEvent(definition, payload=payload, correlations=definition.get_correlations(task, payload))
    own = task.task_spec.event_definition
    if isinstance(own, MultipleEventDefinition):
        # An event-based gateway: it records the event and takes the branch of that message.
        own.catch(task, event)
        task.task_spec._update(task)
        task.data.update(payload)  # after _update: becoming READY re-inherits the parent's data
        return
    if getattr(definition, "message_var", None):
        definition.update_internal_data(task, event)  # moved to data[message_var] when it runs
    else:
        # Spiff's spiff-flavoured message drops a payload without messageVariable; merge it.
        task.data.update(payload)
    # Spiff's catch() would re-evaluate correlations on the payload and may raise; we already did.
    task._set_internal_data(event_fired=True)
    task.task_spec._update(task)
