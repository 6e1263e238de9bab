"""Who did what with an outage: registration, each change of the expected end, restoration, completed tasks —
read from its process's event log, where each step keeps the person who took it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflows.accounts.models import User
from workflows.db import db
from workflows.outages.models import Outage
from workflows.runtime.models import HumanTask, InstanceEvent

STEPS = {"started": "Зарегистрировано", "outage_updated": "Изменён ожидаемый срок окончания",
         "outage_restored": "Подача восстановлена"}


@dataclass(frozen=True)
class JournalRow:
    at: datetime
    step: str
    actor: User | None  # None for the system's own steps (or an integration that did not say who)


def outage_journal(outage: Outage) -> list[JournalRow]:
    if outage.instance_id is None:
        return []
    events = db.session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == outage.instance_id)
                                .order_by(InstanceEvent.at, InstanceEvent.id)).all()
    titles = dict(db.session.execute(select(HumanTask.name, HumanTask.title)
                                     .where(HumanTask.instance_id == outage.instance_id)).tuples().all())
    rows = []
    for event in events:
        key = event.task_name if event.kind == "message_received" else event.kind
        if key in STEPS:
            step = STEPS[key]
        elif event.kind == "task_completed":
            step = f"Выполнена задача «{titles.get(event.task_name or '', 'задача')}»"
        else:
            continue
        actor = db.session.get(User, event.actor_id) if event.actor_id else None
        rows.append(JournalRow(event.at, step, actor))
    return rows
