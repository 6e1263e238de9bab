"""Plain typed records the engine hands to its callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True)
class DiagramInfo:
    """What a deployable BPMN or DMN file declares and needs."""

    kind: Literal["bpmn", "dmn"]
    ids: list[str]
    called_decisions: list[str] = field(default_factory=list)
    called_processes: list[str] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class ProcessSpec:
    """A deserialized spec bundle; build once per deployed version and share between runs."""

    process_id: str
    spec: Any
    subprocess_specs: Mapping[str, Any]


@dataclass(frozen=True)
class UserTaskInfo:
    """A READY user or manual task."""

    task_id: str
    name: str
    title: str
    lane: str | None
    form: dict[str, Any]
    properties: dict[str, str]
    documentation: str | None


@dataclass(frozen=True)
class TimerInfo:
    """A waiting timer event and when it is due (aware UTC)."""

    task_id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class MessageWait:
    """A waiting message catch event: message name and the correlation values it expects."""

    task_id: str
    name: str
    correlation: dict[str, Any]
