"""Moving a running instance onto a newer spec with SpiffWorkflow's diff and migrate helpers.

A migration is refused (MigrationRefused, with the reason) when a task the instance has reached
or is waiting in no longer exists in the new spec, or when a subprocess it runs was removed.
Waiting timers keep the due time they had: Spiff's migrate resets waiting tasks, which would
restart a duration timer from the moment of migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from engine.boundary import spiff_errors
from engine.errors import EngineError
from engine.model import ProcessSpec
from engine.run import ProcessRun, _is_timer, _utc
from engine.serializer import REGISTRY

_TIMER_KEYS = ("event_value", "event_fired")


class MigrationRefused(EngineError):
    """The instance cannot safely move to the new spec; ``reason`` says why."""

    def __init__(self, reason: str, element_ids: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.element_ids = list(element_ids or [])


@dataclass(frozen=True)
class MigrationPlan:
    """What moving an instance to a new spec would do: element ids of its tasks, by effect."""

    removed_current: list[str] = field(default_factory=list)
    removed_finished: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing_subprocesses: list[str] = field(default_factory=list)

    @property
    def refusal(self) -> str | None:
        if self.removed_current:
            return f"the current task was removed in the new version: {', '.join(self.removed_current)}"
        if self.missing_subprocesses:
            return f"a running subprocess was removed in the new version: {', '.join(self.missing_subprocesses)}"
        if self.removed_finished:
            done = ", ".join(self.removed_finished)
            return f"completed tasks were removed in the new version, their history cannot be kept: {done}"
        return None


def _bpmn_id(task: Any) -> str:
    return str(getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _plan(diffs: list[tuple[Any, Any]], missing: list[str]) -> MigrationPlan:
    current, finished, changed = [], [], []
    for _workflow, diff in diffs:
        for task in diff.removed:
            if task.has_state(TaskState.FINISHED_MASK):
                finished.append(_bpmn_id(task))
            elif task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR):
                current.append(_bpmn_id(task))
        changed += [_bpmn_id(task) for task in diff.changed]
    return MigrationPlan(_unique(current), _unique(finished), _unique(changed), missing)


def _diffs(run: ProcessRun, new_spec: ProcessSpec) -> tuple[list[tuple[Any, Any]], list[str]]:
    workflow = run.workflow
    top, sub = diff_workflow(REGISTRY, workflow, new_spec.spec, dict(new_spec.subprocess_specs))
    pairs = [(workflow, top)]
    missing = []
    for sp_id, diff in sub.items():
        subworkflow = workflow.subprocesses[sp_id]
        if diff is None:
            missing.append(str(subworkflow.spec.name))
        else:
            pairs.append((subworkflow, diff))
    return pairs, missing


def plan_migration(run: ProcessRun, new_spec: ProcessSpec) -> MigrationPlan:
    """Compare the instance with ``new_spec`` without changing it (``refusal`` says if it cannot move)."""
    with spiff_errors():
        pairs, missing = _diffs(run, new_spec)
        return _plan(pairs, missing)


def _waiting_timers(workflow: Any) -> dict[Any, dict[str, Any]]:
    kept = {}
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if definition is not None and _is_timer(definition):
            kept[task.id] = {key: task.internal_data[key] for key in _TIMER_KEYS if key in task.internal_data}
    return kept


def _restore_timers(workflow: Any, kept: dict[Any, dict[str, Any]]) -> None:
    for task_id, values in kept.items():
        task = workflow.get_task_from_id(task_id)
        if task is not None and values:
            task.internal_data.update(values)


def migrate(run: ProcessRun, new_spec: ProcessSpec, now: datetime) -> MigrationPlan:
    """Move the instance in ``run`` onto ``new_spec`` in place; raise MigrationRefused when unsafe.

    Nothing is changed when the migration is refused.
    """
    run.engine.clock = _utc(now)
    with spiff_errors():
        pairs, missing = _diffs(run, new_spec)
        plan = _plan(pairs, missing)
        if plan.refusal:
            raise MigrationRefused(plan.refusal, plan.removed_current or missing or plan.removed_finished)
        workflow = run.workflow
        kept = _waiting_timers(workflow)
        for target, diff in pairs:
            spec = new_spec.spec if target is workflow else new_spec.subprocess_specs[target.spec.name]
            migrate_workflow(diff, target, spec)
        workflow.subprocess_specs = dict(new_spec.subprocess_specs)
        _restore_timers(workflow, kept)
    run.spec = new_spec
    run.advance(now)
    return plan
