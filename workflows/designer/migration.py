"""Moving running instances onto the current version of their process, one explicit request at a time.

Deploying never touches an instance; only migrate_instance does, after the engine confirmed the
move is safe. Timers keep their due times; open user tasks keep their ids and take the new form.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine import EngineError, MigrationPlan, MigrationRefused, ProcessRun, migrate, plan_migration
from workflows import clock
from workflows.audit import service as audit
from workflows.db import db
from workflows.errors import Conflict, NotFound
from workflows.runtime import instances
from workflows.runtime.definitions import spec_bundle_for, spec_cache
from workflows.runtime.models import HumanTask, ProcessInstance, SpecBundle

MIGRATABLE = ("waiting", "running")


@dataclass
class MigrationCheck:
    instance: ProcessInstance
    target: SpecBundle
    plan: MigrationPlan | None
    reason: str | None  # why it cannot move (None: it can)

    @property
    def possible(self) -> bool:
        return self.reason is None


def _target(instance: ProcessInstance) -> SpecBundle:
    try:
        return spec_bundle_for(instance.process_id)
    except NotFound as err:
        raise Conflict(f"процесс {instance.process_id} больше не развёрнут") from err


def check_instance(instance: ProcessInstance) -> MigrationCheck:
    """Can this instance move to the current version? Changes nothing."""
    target = _target(instance)
    if instance.status not in MIGRATABLE or instance.state is None:
        return MigrationCheck(instance, target, None, f"экземпляр в состоянии {instance.status}")
    if target.id == instance.spec_bundle_id:
        return MigrationCheck(instance, target, None, "уже на текущей версии")
    try:
        plan = plan_migration(instances.restore(instance, clock.now()), spec_cache.get(target))
    except EngineError as err:
        return MigrationCheck(instance, target, None, str(err))
    return MigrationCheck(instance, target, plan, plan.refusal)


def candidates(process_id: str, limit: int = 200) -> list[MigrationCheck]:
    """Unfinished instances of a process that are not on its current version, with what moving would do."""
    current = _target_for_key(process_id)
    rows = db.session.scalars(select(ProcessInstance).where(
        ProcessInstance.process_id == process_id, ProcessInstance.status.in_(MIGRATABLE),
        ProcessInstance.spec_bundle_id != current.id).order_by(ProcessInstance.id).limit(limit))
    return [check_instance(row) for row in rows]


def _target_for_key(process_id: str) -> SpecBundle:
    try:
        return spec_bundle_for(process_id)
    except NotFound as err:
        raise NotFound(f"процесс {process_id} не развёрнут") from err


def _refresh_open_tasks(instance_id: int, run: ProcessRun) -> None:
    infos = {t.task_id: t for t in run.user_tasks()}
    for row in db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                          HumanTask.status == "open")):
        info = infos.get(row.task_uuid)
        if info is not None:
            row.title, row.form, row.lane = info.title, info.form or {}, info.lane


def migrate_instance(instance_id: int, actor_id: int | None) -> MigrationCheck:
    """Move one instance to the current version, or raise Conflict with the reason it cannot move."""
    instance = instances.lock_instance(instance_id)
    check = check_instance(instance)
    if check.reason is not None:
        db.session.rollback()
        raise Conflict(f"перенос невозможен: {check.reason}", {"reason": check.reason})
    old_version, old_version_id, target = instance.version, instance.spec_bundle.process_version_id, check.target
    new_spec = spec_cache.get(target)
    moved: list[ProcessRun] = []

    def action(run: ProcessRun) -> None:
        try:
            migrate(run, new_spec, clock.now())
        except MigrationRefused as err:  # the plan said yes; a refusal now is a race: report it as one
            raise EngineError(err.reason) from err
        moved.append(run)

    def on_success() -> None:
        instance.spec_bundle_id, instance.spec_bundle = target.id, target
        details: dict[str, Any] = {"from_version": old_version, "to_version": target.process_version.version,
                                   "changed": check.plan.changed if check.plan else []}
        instances.record_event(instance.id, "migrated", actor_id, data=details)
        audit.record("migrate", instance.process_id, actor_id, details, version_id=target.process_version_id,
                     previous_version_id=old_version_id, instance_id=instance.id)

    instances.run_step(instance, action, raise_errors=True, on_success=on_success)
    _refresh_open_tasks(instance.id, moved[0])
    instances.commit()
    return check
