"""One instance as a designer follows it: its version's diagram, marks, data, events and timers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine import EngineError
from workflows import clock
from workflows.db import db
from workflows.designer.marks import element_marks
from workflows.errors import NotFound
from workflows.runtime import instances
from workflows.runtime.models import HumanTask, InstanceEvent, ProcessInstance, ProcessVersion, TimerWait


@dataclass
class InstanceView:
    instance: ProcessInstance
    version: ProcessVersion
    marks: dict[str, str]
    data: dict[str, Any]
    events: list[InstanceEvent]
    timers: list[TimerWait]
    tasks: list[HumanTask]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instance": self.instance.to_dict(), "version_id": self.version.id, "marks": self.marks,
            "data": self.data, "events": [e.to_dict() for e in self.events],
            "timers": [{"name": t.name, "task_id": t.task_uuid, "due_at": t.due_at.isoformat()} for t in self.timers],
            "tasks": [t.to_dict() for t in self.tasks],
        }


def instance_view(instance_id: int) -> InstanceView:
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(f"no process instance {instance_id}")
    marks: dict[str, str] = {}
    data: dict[str, Any] = {}
    if instance.state is not None:
        try:
            run = instances.restore(instance, clock.now())
            marks, data = element_marks(run.describe()), run.data
        except EngineError:
            marks, data = {}, {}
    return InstanceView(
        instance=instance, version=instance.spec_bundle.process_version, marks=marks, data=data,
        events=instances.history(instance_id),
        timers=list(db.session.scalars(select(TimerWait).where(TimerWait.instance_id == instance_id)
                                       .order_by(TimerWait.due_at))),
        tasks=list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id)
                                      .order_by(HumanTask.id))),
    )
