"""The script sandbox refuses known escapes, stops endless loops and runs ordinary code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine import ScriptError, ScriptRefused, ScriptTimeout
from engine.sandbox import check_source
from engine.script_engine import SandboxEnvironment
from tests.engine.conftest import T0, StubServices


@pytest.fixture
def env() -> SandboxEnvironment:
    environment = SandboxEnvironment(StubServices({"lookup": {"id": 5}}), {"double": lambda x: 2 * x})
    environment.clock = T0
    return environment


ESCAPES = [
    "__import__('os')",
    "random._os",
    "calendar.sys",
    "().__class__.__base__.__subclasses__()",
    "'{0.__class__}'.format(x)",
    "'{x.__class__}'.format_map({'x': x})",
    "getattr(x, 'y')",
    "open('/etc/passwd')",
    "eval('1')",
    "type(x)",
    "(i for i in []).gi_frame.f_globals",
    "globals()",
    "vars()",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_escape_expressions_are_refused(env: SandboxEnvironment, expression: str) -> None:
    with pytest.raises(ScriptRefused):
        env.evaluate(expression, {"x": 1})


@pytest.mark.parametrize("script", ["import os", "from os import path", "class A: pass",
                                    "global x\nx = 1", "_hidden = 1", "def f(_a): return 1"])
def test_escape_statements_are_refused(env: SandboxEnvironment, script: str) -> None:
    with pytest.raises(ScriptRefused):
        env.execute(script, {})


def test_escapes_are_reported_at_deploy_time() -> None:
    for expression in ESCAPES:
        assert check_source(expression, "eval"), expression
    assert check_source("import os", "exec")


def test_endless_while_loop_is_stopped(env: SandboxEnvironment) -> None:
    env.time_limit = 0.2
    with pytest.raises(ScriptTimeout):
        env.execute("while True:\n    pass", {})


def test_endless_recursion_and_long_comprehension_are_stopped(env: SandboxEnvironment) -> None:
    env.time_limit = 0.2
    with pytest.raises(ScriptTimeout):
        env.execute("def f(n):\n    return f(n + 1) + f(n + 1) if n < 30 else 0\nf(0)", {})
    with pytest.raises((ScriptTimeout, ValueError)):
        env.evaluate("sum(i * j for i in range(10**6) for j in range(10**6))", {})


def test_huge_range_is_refused(env: SandboxEnvironment) -> None:
    with pytest.raises(ValueError):
        env.evaluate("sum(range(10**12))", {})


def test_ordinary_script_updates_task_data(env: SandboxEnvironment) -> None:
    data = {"items": [3, 1, 2], "category": "heating"}
    env.execute(
        "total = sum(items)\n"
        "ordered = sorted(items)\n"
        "squares = {i: i * i for i in range(3)}\n"
        "label = f'{category}-{max(items)}'\n"
        "due = (now() + parse_duration('PT2H')).isoformat()\n"
        "twice = double(total)\n"
        "org = call_service('lookup', {'q': category})\n"
        "def helper(v):\n    return v + 1\n"
        "bumped = helper(total)\n"
        "i = 0\nwhile i < 3:\n    i += 1\n",
        data,
    )
    assert data["total"] == 6 and data["ordered"] == [1, 2, 3]
    assert data["squares"] == {0: 0, 1: 1, 2: 4}
    assert data["label"] == "heating-3"
    assert data["due"] == (T0 + timedelta(hours=2)).isoformat()
    assert data["twice"] == 12 and data["org"] == {"id": 5} and data["bumped"] == 7
    assert "helper" not in data and "now" not in data and "__builtins__" not in data


def test_ordinary_expressions_evaluate(env: SandboxEnvironment) -> None:
    assert env.evaluate("amount > 3 and category in ('a', 'b')", {"amount": 5, "category": "a"})
    assert env.evaluate("add_duration(now(), 'P1M').month", {}) == 2
    assert env.evaluate("floor(2.7) + math.ceil(0.2)", {}) == 3
    assert env.evaluate("round(abs(-2.5)) + len([1, 2])", {}) == 4


def test_script_error_is_a_script_error_not_a_crash(env: SandboxEnvironment) -> None:
    with pytest.raises(NameError):
        env.evaluate("missing + 1", {})
    assert issubclass(ScriptRefused, ScriptError) and issubclass(ScriptTimeout, ScriptError)


def test_script_functions_may_not_be_private() -> None:
    with pytest.raises(ScriptRefused):
        SandboxEnvironment(None, {"_secret": lambda: 1})
