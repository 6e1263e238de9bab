"""ProcessRun: the typed boundary around one BpmnWorkflow instance."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import messages
from engine.boundary import spiff_errors
from engine.errors import EngineError, WorkflowError
from engine.forms import user_task_info
from engine.model import MessageWait, ProcessSpec, TimerInfo, UserTaskInfo
from engine.script_engine import SandboxEnvironment, SandboxScriptEngine, Services
from engine.serializer import state_from_dict, state_to_dict
from engine.timers import due_time

Functions = Mapping[str, Callable[..., Any]]
MAX_SETTLE_ROUNDS = 10_000


def _utc(now: datetime) -> datetime:
    # Naive values (e.g. read back from SQLite) are taken as UTC.
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _is_timer(definition: Any) -> bool:
    if isinstance(definition, MultipleEventDefinition):
        return any(_is_timer(inner) for inner in definition.event_definitions)
    return isinstance(definition, TimerEventDefinition)


class ProcessRun:
    """One process instance: start or restore it, drive it with a clock, dump its state."""

    def __init__(self, spec: ProcessSpec, workflow: Any, engine: SandboxScriptEngine) -> None:
        self.spec = spec
        self._workflow = workflow
        self.engine = engine
        # READY user tasks as the last advance() left them; None when they must be looked up again.
        self._ready_user_tasks: list[Any] | None = None

    @property
    def workflow(self) -> Any:
        """The BpmnWorkflow itself; whoever takes it may change it, so what we remembered of it is dropped."""
        self._ready_user_tasks = None
        return self._workflow

    @staticmethod
    def _engine(services: Services, functions: Functions | None) -> SandboxScriptEngine:
        return SandboxScriptEngine(SandboxEnvironment(services, functions))

    @classmethod
    def start(
        cls, spec: ProcessSpec, data: dict[str, Any], now: datetime, services: Services,
        functions: Functions | None = None,
    ) -> ProcessRun:
        """Create an instance with ``data`` as its initial data and run it until it waits."""
        engine = cls._engine(services, functions)
        engine.clock = _utc(now)
        with spiff_errors():
            workflow = BpmnWorkflow(spec.spec, spec.subprocess_specs, script_engine=engine)
            # A new workflow has one READY task, its root (SpiffWorkflow readies only the root): no tree walk.
            starting = [workflow.task_tree] if workflow.task_tree.state == TaskState.READY \
                else workflow.get_tasks(state=TaskState.READY)
            for task in starting:
                task.data.update(deepcopy(data))
        run = cls(spec, workflow, engine)
        run.advance(now)
        return run

    @classmethod
    def restore(
        cls, spec: ProcessSpec, state: dict[str, Any], services: Services,
        functions: Functions | None = None,
    ) -> ProcessRun:
        """Rebuild an instance from ``dump()`` output and the shared spec."""
        engine = cls._engine(services, functions)
        with spiff_errors():
            workflow = state_from_dict(state, spec.spec, dict(spec.subprocess_specs))
            workflow.script_engine = engine
        return cls(spec, workflow, engine)

    def dump(self) -> dict[str, Any]:
        """JSON-able state of the instance, without the spec."""
        with spiff_errors():
            return state_to_dict(self._workflow)

    # -- driving -------------------------------------------------------------------------

    def _tasks(self, **filters: Any) -> Iterator[Any]:
        # Spiff's BPMN task iterator descends into subprocesses by itself.
        return self._workflow.get_tasks_iterator(**filters)  # type: ignore[no-any-return]

    def advance(self, now: datetime) -> None:
        """Fire every timer due at ``now`` and run engine steps until the instance waits."""
        self.engine.clock = _utc(now)
        self._ready_user_tasks = None
        with spiff_errors():
            for _ in range(MAX_SETTLE_ROUNDS):
                self._workflow.refresh_timers()
                self._workflow.do_engine_steps()
                # One walk answers both "is engine work left?" (a timer fired) and "which user tasks wait?".
                ready = list(self._tasks(state=TaskState.READY))
                if all(task.task_spec.manual for task in ready):
                    self._ready_user_tasks = ready
                    self._check_ending()
                    return
        raise WorkflowError("the process does not come to rest (endless timer or loop?)")

    def _check_ending(self) -> None:
        """A finished instance must have reached an end event (when its process has any).

        SpiffWorkflow also finishes a workflow whose last token ran off a path with no end event, or
        whose tree was abandoned; that is a failure to report, never "completed"."""
        if not self._workflow.is_completed():
            return
        specs = self._workflow.spec.task_specs.values()
        if not any(type(spec).__name__ == "EndEvent" for spec in specs):
            return  # a process of implicit ends only
        reached = any(type(task.task_spec).__name__ == "EndEvent"
                      for task in self._workflow.get_tasks_iterator(state=TaskState.COMPLETED)
                      if task.workflow is self._workflow)
        if not reached:
            raise WorkflowError("процесс остановился, не дойдя до конечного события")

    def _find_task(self, task_id: str) -> Any | None:
        try:
            return self._workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:  # unknown or malformed id
            return None

    # -- user tasks ----------------------------------------------------------------------

    def user_tasks(self) -> list[UserTaskInfo]:
        """READY user and manual tasks."""
        ready = self._ready_user_tasks
        if ready is None:
            ready = list(self._tasks(state=TaskState.READY, manual=True))
        return [user_task_info(task) for task in ready]

    def ready_user_task_ids(self) -> set[str]:
        """Ids of the READY user and manual tasks (what user_tasks() lists, without their metadata)."""
        ready = self._ready_user_tasks
        if ready is None:
            ready = list(self._tasks(state=TaskState.READY, manual=True))
        return {str(task.id) for task in ready}

    def complete_user_task(self, task_id: str, data: dict[str, Any], now: datetime) -> None:
        """Merge ``data`` into a READY user task, complete it and advance."""
        task = self._find_task(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise EngineError(f"task {task_id} is not a ready user task")
        self._ready_user_tasks = None
        self.engine.clock = _utc(now)
        with spiff_errors():
            data = deepcopy(data)
            if hasattr(task.task_spec, "add_data_from_form"):
                task.task_spec.add_data_from_form(task, data)
            else:
                task.set_data(**data)
            task.run()
        self.advance(now)

    # -- events --------------------------------------------------------------------------

    def _waiting_event_tasks(self) -> list[Any]:
        return [t for t in self._workflow.event_manager.tasks.values() if t.state == TaskState.WAITING]

    def timers(self) -> list[TimerInfo]:
        """Waiting timer events (boundary timers included) with their due time, soonest first."""
        found = []
        for task in self._waiting_event_tasks():
            if _is_timer(task.task_spec.event_definition):
                due = due_time(task)
                if due is not None:
                    found.append(TimerInfo(str(task.id), _element_id(task), due))
        return sorted(found, key=lambda timer: timer.due_at)

    def move_timer(self, element_id: str, due: datetime, now: datetime, data_key: tuple[str, str] | None = None
                   ) -> int:
        """Give the waiting timer(s) of ``element_id`` a new due time (a deadline was extended), then advance.

        With ``data_key`` (a dict variable and its key, e.g. ("deadlines", "resolve_due_at")) the value is also
        changed in the data of every ready or waiting task, so a timer not reached yet reads the new time.
        Returns how many waiting timers moved; a timer that already fired is not revived.
        """
        moved = 0
        value = _utc(due).isoformat()
        with spiff_errors():
            for task in self._waiting_event_tasks():
                if _is_timer(task.task_spec.event_definition) and _element_id(task) == element_id:
                    task._set_internal_data(event_value=value, event_fired=False)
                    moved += 1
            if data_key is not None:
                for state in (TaskState.READY, TaskState.WAITING, TaskState.STARTED):
                    for task in self._tasks(state=state):
                        holder = task.data.get(data_key[0])
                        if isinstance(holder, dict):
                            task.data[data_key[0]] = {**holder, data_key[1]: value}
        self.advance(now)
        return moved

    def message_waits(self) -> list[MessageWait]:
        """Waiting message catch events with the correlation values they expect."""
        env = self.engine.environment
        return [
            MessageWait(str(task.id), definition.name, messages.expected_correlation(env, task, definition))
            for task, definition in messages.waiting_message_tasks(self._workflow)
        ]

    def send_message(self, name: str, payload: dict[str, Any], now: datetime) -> bool:
        """Deliver a message to waiting catch events whose correlation matches; then advance."""
        env = self.engine.environment
        self.engine.clock = _utc(now)
        self._ready_user_tasks = None
        caught = False
        with spiff_errors():
            for task, definition in messages.waiting_message_tasks(self._workflow):
                if definition.name != name:
                    continue
                actual = messages.payload_correlation(env, definition, payload)
                if messages.matches(messages.expected_correlation(env, task, definition), actual):
                    messages.deliver(task, definition, payload, actual)
                    caught = True
        if caught:
            self.advance(now)
        return caught

    # -- inspection ----------------------------------------------------------------------

    def evaluate(self, task_id: str, expression: str) -> Any:
        """Evaluate an expression in the sandbox with that task's data."""
        task = self._find_task(task_id)
        if task is None:
            raise EngineError(f"no task {task_id} in this instance")
        with spiff_errors():
            return self.engine.evaluate(task, expression)

    @property
    def completed(self) -> bool:
        return bool(self._workflow.is_completed())

    @property
    def data(self) -> dict[str, Any]:
        """Workflow data once completed, otherwise the data of the last completed task."""
        last = self._workflow.last_task
        if self.completed or last is None:
            return dict(self._workflow.data)
        return dict(last.data)

    def describe(self) -> list[dict[str, Any]]:
        """Per BPMN element task: id, element id, name, spec type and state."""
        return [
            {
                "task_id": str(task.id),
                "element_id": task.task_spec.bpmn_id,
                "name": task.task_spec.bpmn_name,
                "type": type(task.task_spec).__name__,
                "state": TaskState.get_name(task.state),
                "lane": getattr(task.task_spec, "lane", None),
            }
            for task in self._tasks()
            if getattr(task.task_spec, "bpmn_id", None)
        ]


def _element_id(task: Any) -> str:
    return str(task.task_spec.bpmn_id or task.task_spec.name)
