"""The bridge from service tasks in diagrams to application operations.

Diagrams reach the application only through named operations listed in a table that the
application composes (see workflows/operations.py); nothing else is callable from a diagram.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import OperationInterface, ScriptError
from workflows.services import services


@dataclass(frozen=True)
class StepCause:
    """The person whose action runs this step (completing a task), with what they submitted."""

    actor_id: int
    task_name: str
    form: dict[str, Any]


@dataclass
class ServiceCall:
    instance_id: int | None  # None while a new instance is being started: its row is written afterwards
    operation: str
    params: dict[str, Any]
    data: dict[str, Any]
    now: datetime
    cause: StepCause | None = None  # None for the system's own steps (timers, messages, starts)

    @property
    def actor_id(self) -> int | None:
        return self.cause.actor_id if self.cause is not None else None


Operation = Callable[[ServiceCall], Any]


def registered_operations() -> Mapping[str, Operation]:
    """The application's operation table (workflows.wiring composes it)."""
    return services().operations


def operation_interfaces() -> Mapping[str, OperationInterface | None]:
    """Every operation's declared parameters and result keys (None: only its name is known)."""
    declared = services().operation_interfaces
    return {name: declared.get(name) for name in registered_operations()}


def script_functions() -> Mapping[str, Callable[..., Any]]:
    """Extra functions the application offers to scripts in diagrams."""
    return services().script_functions


@dataclass
class ServiceBridge:
    """Implements engine.Services for one step of one instance.

    `before_first_call` runs once, before the first operation: the runtime opens a savepoint there, so
    a step that calls no operation writes nothing it would have to take back.
    """

    operations: Mapping[str, Operation]
    instance_id: int | None
    now: datetime
    before_first_call: Callable[[], None] | None = None
    cause: StepCause | None = None
    calls: list[str] = field(default_factory=list)

    def call(self, operation: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        handler = self.operations.get(operation)
        if handler is None:
            raise ScriptError(f"неизвестная операция {operation!r}")
        if self.before_first_call is not None:
            prepare, self.before_first_call = self.before_first_call, None
            prepare()
        self.calls.append(operation)
        return handler(ServiceCall(self.instance_id, operation, dict(params), data, self.now, self.cause))
