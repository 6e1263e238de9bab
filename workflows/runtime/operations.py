"""The bridge from service tasks in diagrams to application operations.

Diagrams reach the application only through named operations listed in a table that the
application composes (see workflows/operations.py); nothing else is callable from a diagram.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import ScriptError


@dataclass
class ServiceCall:
    instance_id: int
    operation: str
    params: dict[str, Any]
    data: dict[str, Any]
    now: datetime


Operation = Callable[[ServiceCall], Any]


@dataclass
class ServiceBridge:
    """Implements engine.Services for one step of one instance."""

    operations: Mapping[str, Operation]
    instance_id: int
    now: datetime
    calls: list[str] = field(default_factory=list)

    def call(self, operation: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        handler = self.operations.get(operation)
        if handler is None:
            raise ScriptError(f"unknown service operation {operation!r}")
        self.calls.append(operation)
        return handler(ServiceCall(self.instance_id, operation, dict(params), data, self.now))
