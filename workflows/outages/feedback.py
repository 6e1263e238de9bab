"""Answers to the restoration notice: "Есть" is recorded; "Нет" becomes an appeal linked to the outage."""
from __future__ import annotations

from sqlalchemy import select

from connectors.inbound import InboundEvent
from workflows import clock
from workflows.appeals.intake import register_appeal
from workflows.appeals.models import CHANNELS, Incident
from workflows.db import db
from workflows.outages.confirmation import confirm_restoration, dispute_restoration
from workflows.outages.models import Outage, OutageFeedback, Representative
from workflows.outages.texts import RESOURCE_GENITIVE


def record_answer(outage_id: int, rep_id: int, answer: str, event: InboundEvent | None = None) -> str:
    """Store the answer (the last one counts); a "Нет" registers one appeal per representative and outage."""
    outage, rep = db.session.get(Outage, outage_id), db.session.get(Representative, rep_id)
    if outage is None or rep is None:
        return "Это уведомление не найдено."
    row = db.session.scalar(select(OutageFeedback).where(OutageFeedback.outage_id == outage_id,
                                                         OutageFeedback.representative_id == rep_id))
    if row is None:
        row = OutageFeedback(outage_id=outage_id, representative_id=rep_id, building_id=rep.building_id, answer=answer)
        db.session.add(row)
    row.answer, row.answered_at = answer, clock.now()
    (confirm_restoration if answer == "yes" else dispute_restoration)(outage.id, rep.building_id, row.answered_at)
    if answer == "yes":
        return "Спасибо! Отметили, что подача восстановлена."
    if row.appeal_id is None:
        row.appeal_id = _appeal_for(outage, rep, event)
    return "Спасибо! Зарегистрировали обращение, ресурсоснабжающая организация его получила."


def _appeal_for(outage: Outage, rep: Representative, event: InboundEvent | None) -> int:
    address = rep.address if event is None else event.reply_address
    channel = rep.channel if rep.channel in CHANNELS else "api"
    registration = register_appeal({
        "text": f"После отключения № {outage.id} подачи {RESOURCE_GENITIVE[outage.resource]} нет "
                "(сообщил представитель дома в ответ на уведомление о восстановлении).",
        "channel": channel, "building_id": rep.building_id, "category": outage.resource, "emergency": True,
        "external_id": f"outage:{outage.id}:rep:{rep.id}:no", "network": True,
        "applicant": {"channel": rep.channel, "chat_id": address}})
    appeal = registration.appeal
    incident = db.session.get(Incident, appeal.incident_id) if appeal.incident_id else None
    if incident is not None and incident.outage_id is None and incident.primary_appeal_id == appeal.id:
        incident.outage_id = outage.id  # later "Нет" from this building join it
    return appeal.id
