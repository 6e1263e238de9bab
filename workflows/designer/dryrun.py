"""Dry runs: a process driven in memory with a fake clock and service tasks that only record their calls.

Nothing here touches the database or the application's operations: service tasks get the results
the designer supplied (``results``: operation name -> value), so no appeal changes and nobody is
notified. A dry run is kept as a JSON-able snapshot between steps.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any

from engine import EngineError, ProcessRun, ProcessSpec
from engine.isotime import duration_from, parse_datetime
from workflows.designer.marks import element_marks
from workflows.errors import ValidationFailed

Functions = Mapping[str, Callable[..., Any]]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class RecordingServices:
    """engine.Services that records each call and answers from a table instead of executing anything."""

    def __init__(self, results: Mapping[str, Any], calls: list[dict[str, Any]] | None = None) -> None:
        self.results = dict(results)
        self.calls = list(calls or [])

    def call(self, operation: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        self.calls.append({"operation": operation, "params": _plain(params)})
        return deepcopy(self.results.get(operation))


def _failed(err: EngineError) -> ValidationFailed:
    element_id = getattr(err, "element_id", None)
    return ValidationFailed(f"процесс остановился с ошибкой: {err}", {"element_id": element_id, "message": str(err)})


def parse_moment(value: Any, now: datetime | None = None) -> datetime:
    """An ISO date-time, or (with ``now``) an ISO duration after it, as aware UTC."""
    try:
        text = str(value).strip()
        if now is not None and text.upper().startswith("P"):
            return now + duration_from(text, now)
        moment = parse_datetime(text)
    except (ValueError, TypeError, OverflowError, EngineError) as err:
        raise ValidationFailed("время: ISO 8601 (2026-03-02T09:00:00+03:00) или длительность (PT2H)",
                               {"clock": str(value)}) from err
    if not 2000 <= moment.year < 2100:
        raise ValidationFailed("время: год от 2000 до 2099", {"clock": str(value)})
    return moment.astimezone(UTC)


class DryRun:
    def __init__(self, run: ProcessRun, services: RecordingServices, now: datetime, log: list[dict[str, Any]]):
        self.run, self.services, self.now, self.log = run, services, now, log

    @classmethod
    def start(cls, spec: ProcessSpec, data: dict[str, Any], now: datetime, results: Mapping[str, Any],
              functions: Functions | None = None) -> DryRun:
        if not isinstance(data, dict):
            raise ValidationFailed("данные запуска должны быть объектом JSON", {"data": "object expected"})
        services = RecordingServices(results)
        try:
            run = ProcessRun.start(spec, data, now, services, functions)
        except EngineError as err:
            raise _failed(err) from err
        return cls(run, services, now, [{"at": now.isoformat(), "action": "start"}])

    @classmethod
    def restore(cls, spec: ProcessSpec, snapshot: Mapping[str, Any], functions: Functions | None = None) -> DryRun:
        services = RecordingServices(snapshot.get("results") or {}, snapshot.get("calls") or [])
        run = ProcessRun.restore(spec, snapshot["state"], services, functions)
        return cls(run, services, datetime.fromisoformat(snapshot["now"]), list(snapshot.get("log") or []))

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.run.dump(), "now": self.now.isoformat(), "results": _plain(self.services.results),
                "calls": self.services.calls, "log": self.log}

    def _step(self, action: Callable[[], Any], entry: dict[str, Any]) -> Any:
        try:
            result = action()
        except EngineError as err:
            raise _failed(err) from err
        self.log.append({"at": self.now.isoformat(), **_plain(entry)})
        return result

    def complete(self, task: str, data: dict[str, Any]) -> None:
        """Complete a ready user task, given by its task id or its element id."""
        ready = [t for t in self.run.user_tasks() if task in (t.task_id, t.name)]
        if not ready:
            raise ValidationFailed(f"нет готовой задачи {task}", {"task": task})
        if not isinstance(data, dict):
            raise ValidationFailed("данные формы должны быть объектом JSON", {"data": "object expected"})
        info = ready[0]
        self._step(lambda: self.run.complete_user_task(info.task_id, data, self.now),
                   {"action": "complete", "task": info.name, "data": data})

    def advance(self, to: datetime) -> None:
        """Move the fake clock (never backwards) and fire the timers that came due."""
        if to < self.now:
            raise ValidationFailed("часы не идут назад", {"clock": to.isoformat()})
        self.now = to
        self._step(lambda: self.run.advance(to), {"action": "clock", "to": to.isoformat()})

    def send(self, name: str, payload: dict[str, Any]) -> bool:
        caught: bool = self._step(lambda: self.run.send_message(name, dict(payload), self.now),
                                  {"action": "message", "name": name, "payload": payload})
        return caught

    def describe(self) -> dict[str, Any]:
        run = self.run
        return {
            "now": self.now.isoformat(), "completed": run.completed, "data": _plain(run.data),
            "tasks": [{"task_id": t.task_id, "name": t.name, "title": t.title, "lane": t.lane, "form": t.form}
                      for t in run.user_tasks()],
            "timers": [{"name": t.name, "due_at": t.due_at.isoformat()} for t in run.timers()],
            "messages": [{"name": m.name, "correlation": _plain(m.correlation)} for m in run.message_waits()],
            "marks": element_marks(run.describe()), "calls": self.services.calls, "log": self.log,
        }
