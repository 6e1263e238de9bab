"""Timer event definitions that read the run's clock instead of the wall clock.

Spiff's timer definitions call ``datetime.now`` in ``has_fired``; these subclasses ask the
workflow's script engine for its ``clock`` (set by ProcessRun from the ``now`` it is given) and
store every due time as an ISO 8601 UTC string in the task's internal data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)

from engine import isotime


def run_clock(my_task: Any) -> datetime:
    """The current time of the run owning this task (wall clock outside a ProcessRun)."""
    clock = getattr(my_task.workflow.script_engine, "clock", None)
    return clock if clock is not None else datetime.now(UTC)


def _fire_if_due(my_task: Any, due_iso: str) -> bool:
    if datetime.fromisoformat(due_iso) <= run_clock(my_task):
        my_task._set_internal_data(event_fired=True)
    return bool(my_task._get_internal_data("event_fired", False))


class ClockTimeDateEventDefinition(TimeDateEventDefinition):
    """timeDate: fires once the run's clock reaches the given date-time."""

    def has_fired(self, my_task: Any) -> bool:
        due = my_task._get_internal_data("event_value")
        if due is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            due = isotime.parse_datetime(value).isoformat()
            my_task._set_internal_data(event_value=due)
        return _fire_if_due(my_task, due)


class ClockDurationTimerEventDefinition(DurationTimerEventDefinition):
    """timeDuration: fires when the duration has passed since the event started waiting."""

    def has_fired(self, my_task: Any) -> bool:
        due = my_task._get_internal_data("event_value")
        if due is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            now = run_clock(my_task)
            due = (now + isotime.duration_from(value, now)).isoformat()
            my_task._set_internal_data(event_value=due)
        return _fire_if_due(my_task, due)


class ClockCycleTimerEventDefinition(CycleTimerEventDefinition):
    """timeCycle: R[n]/start/period; each cycle that came due produces one token."""

    def cycle_complete(self, my_task: Any) -> bool:
        state = my_task._get_internal_data("event_value")
        now = run_clock(my_task)
        if state is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, period = isotime.parse_cycle(value, now)
            state = {"cycles": cycles, "next": start.isoformat(), "duration": period.total_seconds()}
        ready = False
        if state["cycles"] != 0:
            next_due = datetime.fromisoformat(state["next"])
            if next_due <= now:
                state["next"] = (next_due + timedelta(seconds=state["duration"])).isoformat()
                state["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
            return False
        my_task._set_internal_data(event_value=state)
        return ready


CLOCK_TIMERS = {
    TimeDateEventDefinition: ClockTimeDateEventDefinition,
    DurationTimerEventDefinition: ClockDurationTimerEventDefinition,
    CycleTimerEventDefinition: ClockCycleTimerEventDefinition,
}


def due_time(my_task: Any) -> datetime | None:
    """When a waiting timer task is due, from what its definition stored; None if unknown."""
    value = my_task._get_internal_data("event_value")
    if isinstance(value, dict):
        if value.get("cycles") == 0:
            return None
        value = value.get("next")
    if not isinstance(value, str):
        return None
    return isotime.parse_datetime(value)
