"""A file's checks and its built bundle are remembered by its bytes and the timer limits (engine/memo.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import spec, validation
from engine.errors import DiagramInvalid

DATA = Path(__file__).resolve().parents[1] / "data" / "engine"


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    calls: list[str] = []
    real = getattr(module, name)

    def counted(*args: Any) -> Any:
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


def _a_file() -> tuple[str, bytes]:
    path = next(p for p in sorted(DATA.glob("*.bpmn")) if b"userTask" in p.read_bytes())
    return path.name, path.read_bytes()


def test_the_same_bytes_are_inspected_once_and_other_limits_inspect_again(monkeypatch: pytest.MonkeyPatch) -> None:
    validation._INSPECTED.clear()
    calls = _counting(monkeypatch, validation, "_inspect")
    name, content = _a_file()
    first = validation.inspect_diagram(name, content)
    assert validation.inspect_diagram(name, content) == first and len(calls) == 1
    validation.inspect_diagram(name, content + b"\n")  # other bytes
    assert len(calls) == 2
    monkeypatch.setenv("OTKLIK_TIMER_MIN_CYCLE_SECONDS", "3600")  # a limit the checks read
    validation.inspect_diagram(name, content)
    assert len(calls) == 3


def test_a_refused_file_is_checked_again_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, validation, "_inspect")
    for _ in range(2):
        with pytest.raises(DiagramInvalid):
            validation.inspect_diagram("broken.bpmn", b"<definitions")
    assert len(calls) == 2


def test_a_built_bundle_is_a_fresh_copy_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    spec._BUILT.clear()
    calls = _counting(monkeypatch, spec, "_build_spec")
    name, content = _a_file()
    process_id = validation.inspect_diagram(name, content).ids[0]
    first = spec.build_spec(process_id, {name: content}, {})
    first["spec"] = "changed by a caller"
    second = spec.build_spec(process_id, {name: content}, {})
    assert len(calls) == 1 and second["spec"] != "changed by a caller" and second["process_id"] == process_id
