"""Telling the application, in the failing transaction, that instances went into `error`.

The runtime knows nothing about appeals or outages: the application registers one hook
(`services().failure_hook`, see workflows/failures) that opens a task for a person and
raises an alert. It runs in the same transaction that records the failure, so a failure is never
recorded without someone being told.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine import EngineError
from workflows.services import services

MANUAL_TASK = "manual_handling"  # the task a person gets for a failed instance (not a BPMN element)


@dataclass(frozen=True)
class FailedInstance:
    instance_id: int
    process_id: str
    business_key: str | None
    message: str  # the engine's message as kept on the instance
    element_id: str | None  # the step that failed, when the engine names it
    at_start: bool


FailureHook = Callable[[Sequence[FailedInstance]], None]


def element_of(error: EngineError) -> str | None:
    element = getattr(error, "element_id", None)
    return str(element) if element else None


def report(failed: Sequence[FailedInstance]) -> None:
    if failed:
        services().failure_hook(failed)


def report_recovered(instance_id: int, business_key: str | None, actor_id: int | None) -> None:
    """A failed instance ran again without error (in the retrying transaction)."""
    services().recovery_hook(instance_id, business_key, actor_id)
