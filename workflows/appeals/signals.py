"""Telling appeals' processes what happened to their incident, derived from the rows, never lost.

An incident's state is written in the transaction that changes it (absorbed into a network incident,
resolved, rejected). Each appeal's process then has to hear it through a message; that happens after
the commit (a huey task per incident) and, should that task be lost, from the minute sweep, which
finds appeals whose process still waits for news their incident already has.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workflows.appeals.models import Appeal, Incident
from workflows.db import after_commit, db
from workflows.runtime.messages import correlate_message
from workflows.runtime.models import HumanTask, MessageWait
from workflows.runtime.sync import correlation_key
from workflows.services import services

WORKED_TASKS = ("accept", "resolve", "reroute")
SWEEP_BATCH = 50


def signal_incident(incident_id: int) -> None:
    """After the commit, bring the processes of the incident's appeals in step with it."""
    scheduler = services().scheduler
    after_commit(db.session, lambda: scheduler.enqueue("propagate_incident", incident_id))


def _waiting(appeal_ids: list[int], message: str) -> set[int]:
    keys = {correlation_key({"appeal_id": a}): a for a in appeal_ids}
    if not keys:
        return set()
    found = db.session.scalars(select(MessageWait.correlation_key).where(
        MessageWait.message_name == message, MessageWait.correlation_key.in_(list(keys))))
    return {keys[k] for k in found}


def _worked(appeal_ids: list[int]) -> set[int]:
    if not appeal_ids:
        return set()
    return set(db.session.scalars(select(HumanTask.appeal_id).where(
        HumanTask.appeal_id.in_(appeal_ids), HumanTask.status == "open", HumanTask.process_id == "appeal",
        HumanTask.name.in_(WORKED_TASKS))))


def _send(message: str, appeal_id: int, payload: dict[str, Any]) -> int:
    return len(correlate_message(message, {"appeal_id": appeal_id}, {"appeal_id": appeal_id, **payload}))


def propagate_incident(incident_id: int) -> int:
    """Send each appeal of the incident the message its state calls for; returns how many were told."""
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        return 0
    appeal_ids = list(db.session.scalars(select(Appeal.id).where(Appeal.incident_id == incident_id,
                                                                 Appeal.status == "joined").order_by(Appeal.id)))
    told = 0
    for appeal_id in sorted(_worked(appeal_ids)):  # absorbed while its organisation was working on it
        told += _send("incident_absorbed", appeal_id, {"incident_id": incident_id})
    if incident.kind == "suspected" and incident.status == "absorbed":  # a registered outage took it over
        told += len(correlate_message("suspicion_settled", {"incident_id": incident_id},
                                      {"incident_id": incident_id}))
    if incident.status == "resolved":
        for appeal_id in sorted(_waiting(appeal_ids, "incident_resolved")):
            told += _send("incident_resolved", appeal_id, {"incident_id": incident_id,
                                                           "comment": incident.cause or ""})
    elif incident.status == "rejected":
        for appeal_id in sorted(_waiting(appeal_ids, "incident_released")):
            told += _send("incident_released", appeal_id, {"incident_id": incident_id,
                                                           "reason": incident.closing_note or ""})
    db.session.commit()
    return told


def sweep_incident_signals() -> int:
    """Incidents whose appeals' processes still wait for news the incident already has (lost signals)."""
    waiting = (select(Appeal.incident_id).join(Incident, Incident.id == Appeal.incident_id)
               .join(MessageWait, MessageWait.correlation_key == _key_expression())
               .where(Appeal.status == "joined", Incident.status.in_(("resolved", "rejected")),
                      MessageWait.message_name.in_(("incident_resolved", "incident_released"))))
    worked = (select(Appeal.incident_id).join(HumanTask, HumanTask.appeal_id == Appeal.id)
              .where(Appeal.status == "joined", HumanTask.status == "open", HumanTask.process_id == "appeal",
                     HumanTask.name.in_(WORKED_TASKS)))
    ids = sorted({i for i in db.session.scalars(waiting.distinct().limit(SWEEP_BATCH)) if i is not None}
                 | {i for i in db.session.scalars(worked.distinct().limit(SWEEP_BATCH)) if i is not None})
    db.session.rollback()
    return sum(propagate_incident(incident_id) for incident_id in ids)


def _key_expression() -> Any:
    """The correlation key of {"appeal_id": Appeal.id} as SQL (correlation_key's canonical JSON text)."""
    from sqlalchemy import String, cast

    return '{"appeal_id": ' + cast(Appeal.id, String) + "}"
