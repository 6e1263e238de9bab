"""Errors the application services raise; web/errors.py turns them into HTTP answers."""
from __future__ import annotations

from typing import Any


class WorkflowsError(Exception):
    code = "error"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(WorkflowsError):
    code = "not_found"


class ValidationFailed(WorkflowsError):
    """Input breaks a rule; `details` maps field names to messages (or lists issues)."""

    code = "validation_failed"


class Conflict(WorkflowsError):
    """The thing changed under the caller: a task already completed or claimed by someone else."""

    code = "conflict"


class Forbidden(WorkflowsError):
    code = "forbidden"


class ProcessFailed(WorkflowsError):
    """A process step failed (a script error, a bad expression); the instance is kept in `error`."""

    code = "process_error"
