"""One alert per error kind per hour to admins and coordinators, through the outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from workflows import clock
from workflows.accounts.models import User
from workflows.db import db, is_postgres
from workflows.delivery.outbox import enqueue
from workflows.failures.models import AlertContact, FailureAlert
from workflows.failures.texts import kind_key
from workflows.runtime.failures import FailedInstance

ALERT_ROLES = ("admin", "coordinator")
SUBJECT = "Отклик: сбой процесса — нужна ручная обработка"


def _window(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _claim_window(failed: FailedInstance, key: str, window: datetime) -> int | None:
    """Insert the kind's row for this hour; its id when this failure is the first of the hour."""
    dialect = postgresql if is_postgres() else sqlite
    statement = dialect.insert(FailureAlert).values(
        kind_key=key, window_start=window, process_id=failed.process_id, element_id=failed.element_id,
        message=failed.message, failures=1, created_at=clock.now(),
    ).on_conflict_do_nothing(index_elements=["kind_key", "window_start"]).returning(FailureAlert.id)
    return db.session.execute(statement).scalar_one_or_none()


def raise_alert(failed: FailedInstance, text: str, subject_label: str | None) -> bool:
    """Count the failure in its kind's hour; the first of the hour is sent. True when sent."""
    key, window = kind_key(failed.process_id, failed.element_id, failed.message), _window(clock.now())
    alert_id = _claim_window(failed, key, window)
    if alert_id is None:
        db.session.execute(update(FailureAlert).where(FailureAlert.kind_key == key, FailureAlert.window_start == window)
                           .values(failures=FailureAlert.failures + 1).execution_options(synchronize_session=False))
        return False
    body = (f"{text}\nПервое затронутое: {subject_label or 'экземпляр ' + str(failed.instance_id)}. "
            "Задача «Ручная обработка» ждёт ЦГДС; такие же сбои в течение часа придут без новых оповещений — "
            "все они на странице «Сбои процессов».")
    for user_id, channel, address in _recipients():
        enqueue(f"failure:{alert_id}", f"user:{user_id}:{channel}", channel, address, body, urgent=True,
                subject=SUBJECT)
    return True


def _recipients() -> list[tuple[int, str, str]]:
    rows = db.session.execute(
        select(AlertContact.user_id, AlertContact.channel, AlertContact.address)
        .join(User, User.id == AlertContact.user_id)
        .where(User.role.in_(ALERT_ROLES), User.active.is_(True)).order_by(AlertContact.id))
    return [(user_id, channel, address) for user_id, channel, address in rows]
