"""Turning SpiffWorkflow's exceptions into the engine's typed errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.errors import EngineError, ScriptError, WorkflowError


class ScriptTaskException(WorkflowTaskException):
    """Raised by our script engine so a failed script can be told from a failed step."""


def _element_id(exc: Any) -> str | None:
    spec = getattr(exc, "task_spec", None)
    if spec is None:
        return None
    return getattr(spec, "bpmn_id", None) or getattr(spec, "name", None)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        inner = getattr(current, "exception", None)
        current = inner if isinstance(inner, BaseException) else (current.__cause__ or current.__context__)


def translate(exc: Exception) -> EngineError:
    """The engine error that stands for a Spiff (or any other) failure."""
    element_id = _element_id(exc)
    notes = " ".join(getattr(exc, "__notes__", []))
    for cause in _causes(exc):
        if isinstance(cause, ScriptError):
            return type(cause)(cause.message, cause.element_id or element_id)
    if any(isinstance(cause, ScriptTaskException) for cause in _causes(exc)):
        return ScriptError(f"{exc} {notes}".strip(), element_id)
    if isinstance(exc, SpiffWorkflowException):
        return WorkflowError(f"{exc} {notes}".strip(), element_id)
    return WorkflowError(f"{type(exc).__name__}: {exc}", element_id)


@contextmanager
def spiff_errors() -> Iterator[None]:
    """Let only EngineError subclasses out of the block."""
    try:
        yield
    except EngineError:
        raise
    except Exception as exc:
        raise translate(exc) from exc
