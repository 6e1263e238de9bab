"""The runtime's failure hook: a `manual_handling` task, the subject's status, one alert per kind per hour."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from engine import element_name
from workflows import clock
from workflows.db import db
from workflows.failures import alerts, subjects
from workflows.failures.texts import step_text
from workflows.runtime.definitions import spec_cache
from workflows.runtime.failures import MANUAL_TASK, FailedInstance
from workflows.runtime.models import HumanTask, ProcessInstance, SpecBundle

MANUAL_ROLES = "dispatcher coordinator"
MANUAL_LANE = "ЦГДС"
# Not a regulation: it only puts a failed appeal at the top of the ЦГДС inbox while it is fresh.
ATTEND_WITHIN = timedelta(hours=1)


def on_failed(failed: Sequence[FailedInstance]) -> None:
    for item in failed:
        subject = subjects.subject_of(item.business_key)
        text = step_text(item.process_id, _step_name(item), item.message)
        _open_task(item, subject, text)
        label = subjects.mark_failed(subject, item, text)
        alerts.raise_alert(item, text, label)


def _open_task(item: FailedInstance, subject: subjects.Subject | None, text: str) -> HumanTask:
    existing = db.session.scalar(select(HumanTask).where(
        HumanTask.instance_id == item.instance_id, HumanTask.name == MANUAL_TASK, HumanTask.status == "open"))
    form = subjects.manual_form(subject, text)
    if existing is not None:  # failed again (a retry that did not help): one task per instance
        existing.form = form
        return existing
    now = clock.now()
    task = HumanTask(
        instance_id=item.instance_id, task_uuid=str(uuid.uuid4()), process_id=item.process_id, name=MANUAL_TASK,
        title=subjects.task_title(subject), lane=MANUAL_LANE, roles=MANUAL_ROLES, form=form,
        due_at=now + ATTEND_WITHIN, sort_key=now + ATTEND_WITHIN, status="open", created_at=now,
        appeal_id=subject.id if subject is not None and subject.kind == "appeal" else None,
        outage_id=subject.id if subject is not None and subject.kind == "outage" else None,
    )
    db.session.add(task)
    return task



def _step_name(item: FailedInstance) -> str | None:
    """The failed step as the diagram names it («Рассчитать сроки»), else its element id."""
    if item.element_id is None:
        return None
    # By id, not the ORM object: a failed start attaches its own instance object after this hook.
    bundle_id = db.session.scalar(select(ProcessInstance.spec_bundle_id).where(ProcessInstance.id == item.instance_id))
    bundle = db.session.get(SpecBundle, bundle_id) if bundle_id is not None else None
    if bundle is None:
        return item.element_id
    name = element_name(spec_cache.get(bundle), item.element_id)
    return f"«{name}»" if name else item.element_id
