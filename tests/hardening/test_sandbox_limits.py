"""Item 1 of issue 14: scripts cannot read what the checker refuses, hide from the budget or run away."""
from __future__ import annotations

import ast

import pytest
from flask import Flask

from engine import ScriptError, ScriptRefused, ScriptTimeout
from engine.budget import ResultTooLarge
from engine.sandbox import ALLOWED_NODES, _node_problem, check_source
from engine.script_engine import SandboxEnvironment
from tests.engine.conftest import T0, StubServices
from tests.workflows.runtime_helpers import make_user
from workflows.db import db
from workflows.runtime import starts, tasks
from workflows.runtime.definitions import deploy
from workflows.runtime.models import HumanTask, ProcessInstance


@pytest.fixture
def env() -> SandboxEnvironment:
    environment = SandboxEnvironment(StubServices({}), {}, time_limit=0.3)
    environment.clock = T0
    return environment


REFUSED_AT_DEPLOY = [
    "match x:\n    case int(__class__=c, __reduce_ex__=r):\n        pass",
    "match x:\n    case Exception(__traceback__=tb):\n        pass",
    "match x:\n    case _:\n        while True:\n            pass",
    "try:\n    1 / 0\nexcept ZeroDivisionError as __builtins__:\n    pass",
    "try:\n    1 / 0\nexcept ZeroDivisionError as _otk_tick:\n    pass",
    "f(__class__=1)",
    "while True:\n    try:\n        pass\n    except:\n        pass",
    "while True:\n    try:\n        pass\n    finally:\n        continue",
    "x = 10 ** (10 ** 7)",
    "x = 'x' * 10 ** 10",
    "x = 1 << 10 ** 9",
    "x = f'{y:>1000000000}'",
    "x = f'{y:{w}}'",
    "x = '%1000000000d' % 1",
    "d['k'] *= 10 ** 9",
]


@pytest.mark.parametrize("script", REFUSED_AT_DEPLOY)
def test_escapes_and_bombs_are_refused_at_deploy(script: str) -> None:
    assert check_source(script, "exec"), script


def test_every_node_type_of_this_python_is_allowed_on_purpose_or_refused() -> None:
    kinds = [cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, ast.AST)]
    assert len(kinds) > 100
    for cls in kinds:
        if cls.__name__ in ALLOWED_NODES:
            continue
        try:
            node = cls()
        except TypeError:  # Index and ExtSlice (deprecated) want their value
            continue
        if type(node) is not cls:  # deprecated aliases (Num, Str, Index...) build allowed nodes
            continue
        assert _node_problem(node) is not None, cls.__name__
    assert {cls.__name__ for cls in kinds} >= ALLOWED_NODES


def test_catching_exception_does_not_hide_the_time_budget(env: SandboxEnvironment) -> None:
    with pytest.raises(ScriptTimeout):
        env.execute("n = 0\nwhile True:\n    try:\n        n += 1\n    except Exception:\n        pass", {})


def test_time_inside_built_ins_counts(env: SandboxEnvironment) -> None:
    with pytest.raises(ScriptTimeout):
        env.execute("total = sum(map(sum, [range(1000000)] * 5000))", {})
    with pytest.raises(ScriptTimeout):
        env.evaluate("max(sorted(map(sum, [range(1000000)] * 5000)))", {})


@pytest.mark.parametrize("script", ["x = 'x' * n", "x = n * [0]", "x = 10 ** n", "x = 1 << n", "x = 'ab'\nx *= n",
                                    "x = 7\nx **= n"])
def test_results_too_large_are_refused_before_they_are_made(env: SandboxEnvironment, script: str) -> None:
    with pytest.raises(ResultTooLarge):
        env.execute(script, {"n": 10**9})


def test_ordinary_arithmetic_still_works(env: SandboxEnvironment) -> None:
    data = {"n": 3}
    env.execute("a = 2 ** 10\nb = 'ab' * n\nc = [0] * n\nd = 1 << 4\ne = '%05d' % 42\nn *= 2\nf = f'{a:>6}'", data)
    assert data == {"n": 6, "a": 1024, "b": "ababab", "c": [0, 0, 0], "d": 16, "e": "00042", "f": "  1024"}
    assert env.evaluate("sum([1, 2, 3]) + max(4, 5) + min([7, 8]) + len(sorted({3, 1}))", {}) == 20
    assert env.evaluate("any(x > 2 for x in [1, 3]) and all([1, True])", {}) is True


def test_a_memory_ceiling_stops_a_script_that_hoards(env: SandboxEnvironment) -> None:
    env.time_limit = 60
    env.memory_limit = 64 * 1024 * 1024
    with pytest.raises(ScriptTimeout) as stopped:
        env.execute("kept = []\nwhile True:\n    kept.append('x' * 100000 + str(len(kept)))", {})
    assert "памяти" in str(stopped.value)


RUNAWAY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://x">
  <bpmn:process id="runaway" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane" name="dispatcher">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>ask</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>burn</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask"/>
    <bpmn:userTask id="ask" name="Сколько"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="burn"/>
    <bpmn:scriptTask id="burn"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>total = sum(map(sum, [range(1000000)] * times))</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f3" sourceRef="burn" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_runaway_step_is_stopped_and_the_instance_marked_error(app: Flask) -> None:
    deploy([("runaway.bpmn", RUNAWAY.encode())])
    dispatcher = make_user("disp", "dispatcher")
    instance = starts.start_process("runaway", {})
    db.session.commit()
    task = db.session.query(HumanTask).filter_by(instance_id=instance.id, name="ask").one()
    with pytest.raises(Exception) as failure:
        tasks.complete_task(task.id, dispatcher, {"times": 100000})
    assert "лимит времени" in str(failure.value)
    db.session.expire_all()
    stored = db.session.get(ProcessInstance, instance.id)
    assert stored is not None and stored.status == "error" and "лимит времени" in (stored.error_message or "")


def test_timeouts_are_script_errors_the_engine_reports(env: SandboxEnvironment) -> None:
    assert issubclass(ScriptTimeout, ScriptError) and issubclass(ScriptRefused, ScriptError)
