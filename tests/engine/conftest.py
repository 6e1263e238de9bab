"""Shared helpers for engine tests: fixture files, a Services stub and a fake clock origin."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engine import ProcessRun, ProcessSpec, build_spec, load_spec

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = DATA / "engine"
T0 = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def spec_for(process_id: str, bpmn: list[str], dmn: list[str] | None = None) -> ProcessSpec:
    bundle = build_spec(process_id, {n: read(n) for n in bpmn}, {n: read(n) for n in dmn or []})
    return load_spec(bundle)


def bpmn_process(body: str, extra: str = "", process_id: str = "p", executable: str = "true") -> bytes:
    """A minimal BPMN document around a process body, for one-off invalid diagrams."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="defs" targetNamespace="http://otklik.test/bpmn">
{extra}
  <bpmn:process id="{process_id}" isExecutable="{executable}">
{body}
  </bpmn:process>
</bpmn:definitions>
""".encode()


class StubServices:
    """Records calls; answers from a table of operation -> result."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.answers = answers or {}
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def call(self, operation: str, params: dict[str, Any], data: dict[str, Any]) -> Any:
        self.calls.append((operation, params, dict(data)))
        answer = self.answers.get(operation)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def services() -> StubServices:
    return StubServices()


def single_user_task(run: ProcessRun, name: str) -> str:
    tasks = [t for t in run.user_tasks() if t.name == name]
    assert len(tasks) == 1, run.user_tasks()
    return tasks[0].task_id
