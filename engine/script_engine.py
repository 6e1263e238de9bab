"""The restricted script engine: Spiff's PythonScriptEngine over the AST sandbox.

Used for script tasks, pre/post scripts, gateway conditions, timer expressions, message
payloads/correlations, service task parameters and DMN expressions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.boundary import ScriptTaskException
from engine.budget import DEFAULT_MEMORY_LIMIT, Budget, BudgetExceeded, binop, ticking_builtins
from engine.errors import ScriptRefused, ScriptTimeout
from engine.functions import SAFE_BUILTINS, make_functions
from engine.sandbox import BINOP, ITER, TICK, compile_script

DEFAULT_TIME_LIMIT = 1.0
_SANDBOX_NAMES = frozenset({"__builtins__", TICK, ITER, BINOP})


class Services(Protocol):
    """Supplied by the runtime: the only way service tasks and scripts reach the application."""

    def call(self, operation: str, params: dict[str, Any], data: dict[str, Any]) -> Any: ...


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"service result is not JSON-able: {type(value).__name__}")


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates and executes sandboxed code with task data as its namespace."""

    def __init__(
        self,
        services: Services | None,
        functions: Mapping[str, Callable[..., Any]] | None,
        time_limit: float = DEFAULT_TIME_LIMIT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        self.clock: datetime | None = None
        self.services = services
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self._budget = Budget(time_limit, memory_limit)  # the run in progress; replaced by each _scope()
        self._builtins = ticking_builtins(SAFE_BUILTINS, lambda: self._budget)
        table = make_functions(self.now)
        for name, function in (functions or {}).items():
            if name.startswith("_"):
                raise ScriptRefused(f"script function names may not start with '_': {name}")
            table[name] = function
        super().__init__(table)

    def now(self) -> datetime:
        return self.clock if self.clock is not None else datetime.now(UTC)

    def _scope(self, data: dict[str, Any], external: dict[str, Any] | None) -> dict[str, Any]:
        budget = self._budget = Budget(self.time_limit, self.memory_limit)
        scope = {**self.globals, **(external or {}), **data}

        def call_service(operation: str, params: dict[str, Any] | None = None) -> Any:
            if self.services is None:
                raise RuntimeError("no services are available here")
            return self.services.call(operation, dict(params or {}), data)

        scope.setdefault("call_service", call_service)
        # Set last so task data can never replace the sandbox's own guards.
        scope.update({"__builtins__": self._builtins, TICK: budget.tick, ITER: budget.iterate, BINOP: binop})
        return scope

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compile_script(expression.strip(), "eval")
        try:
            return eval(code, self._scope(context, external_context))
        except BudgetExceeded as stop:
            raise ScriptTimeout(str(stop)) from None

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        code = compile_script(script, "exec")
        scope = self._scope(context, external_context)
        injected = {key: value for key, value in scope.items() if key not in context}
        try:
            exec(code, scope)
        except BudgetExceeded as stop:
            raise ScriptTimeout(str(stop)) from None
        # Write back what the script left, minus our injections and anything unserializable.
        result = {
            key: value
            for key, value in scope.items()
            if key not in _SANDBOX_NAMES
            and not callable(value)
            and not (key in injected and injected[key] is value)
        }
        context.clear()
        context.update(result)
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> str:
        if self.services is None:
            raise RuntimeError("no services are available here")
        params = {name: spec["value"] for name, spec in kwargs["operation_params"].items()}
        result = self.services.call(kwargs["operation_name"], params, context)
        # Spiff's ServiceTask json.loads() what we return.
        return json.dumps(result, default=_json_default)


class SandboxScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose environment is the sandbox; ``clock`` is the run's time."""

    environment: SandboxEnvironment

    def __init__(self, environment: SandboxEnvironment) -> None:
        super().__init__(environment=environment)

    @property
    def clock(self) -> datetime | None:
        return self.environment.clock

    @clock.setter
    def clock(self, value: datetime | None) -> None:
        self.environment.clock = value

    def call_service(self, task: Any, **kwargs: Any) -> str:
        try:
            return self.environment.call_service(task.data, **kwargs)
        except Exception as exc:  # Spiff's own version has a NameError in this path
            name = kwargs.get("operation_name")
            raise WorkflowTaskException(f"service {name!r} failed: {exc}", task=task, exception=exc) from exc

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except Exception as exc:
            raise _script_failure(task, f"expression {expression!r}", exc) from exc

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        try:
            return self.environment.execute(script, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except Exception as exc:
            raise _script_failure(task, "script", exc) from exc


def _script_failure(task: Any, what: str, exc: Exception) -> ScriptTaskException:
    return ScriptTaskException(f"{what} failed: {type(exc).__name__}: {exc}", task=task, exception=exc)
