"""Errors raised by the engine package and the deploy-time Issue record."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base class of every error the engine lets out."""


@dataclass(frozen=True)
class Issue:
    """One deploy-time problem found in a diagram."""

    message: str
    element_id: str | None = None
    line: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line) if part is not None)
        element = f" [{self.element_id}]" if self.element_id else ""
        return f"{where + ': ' if where else ''}{self.message}{element}"


class DiagramInvalid(EngineError):
    """A BPMN or DMN file cannot be deployed; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues) or "invalid diagram")


class ScriptError(EngineError):
    """A script or expression failed, or was refused, at run time."""

    def __init__(self, message: str, element_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.element_id = element_id


class ScriptRefused(ScriptError):
    """A script broke a sandbox rule (imports, private attributes, forbidden names...)."""


class ScriptTimeout(ScriptError):
    """A script ran past its time limit."""


class WorkflowError(EngineError):
    """A step of a process failed at run time."""

    def __init__(self, message: str, element_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.element_id = element_id
