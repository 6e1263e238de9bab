"""Sending the resident's appeal, and the /status answer."""
from __future__ import annotations

from sqlalchemy import select

from workflows.appeals.catalog import BY_CODE
from workflows.appeals.history import add_event
from workflows.appeals.intake import register_appeal
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.errors import ValidationFailed
from workflows.open311.present import STATUS_NOTES
from workflows.residents import texts
from workflows.residents.chats import Reply, local_time, move
from workflows.residents.flow import start
from workflows.residents.models import ResidentChat

STATUS_LIMIT = 10


def send_appeal(chat: ResidentChat) -> list[Reply]:
    """Register the appeal in the handler's transaction (the inbound task commits; the external id makes a
    redelivered button press harmless)."""
    data = dict(chat.data or {})
    if not all(data.get(key) for key in ("building_id", "category", "text")):
        return start(chat)
    payload = {"text": data["text"], "channel": chat.channel, "building_id": int(data["building_id"]),
               "category": data["category"], "external_id": f"bot:{chat.chat_id}:{chat.appeals_sent + 1}",
               "applicant": {"channel": chat.channel, "chat_id": chat.chat_id, "phone": chat.phone}}
    try:
        appeal = register_appeal(payload).appeal
    except ValidationFailed:
        return [Reply(texts.NO_ADDRESS)] + start(chat)
    if data.get("photo"):
        add_event(appeal.id, "photo", None, {"channel": chat.channel, "file": data["photo"]})
    chat.appeals_sent += 1
    move(chat, "idle")
    chat.data = {}
    return [Reply(texts.REGISTERED.format(number=appeal.number))]


def status(chat: ResidentChat) -> list[Reply]:
    appeals = list(db.session.scalars(
        select(Appeal).where(Appeal.applicant_channel == chat.channel, Appeal.applicant_chat_id == chat.chat_id)
        .order_by(Appeal.id.desc()).limit(STATUS_LIMIT)))
    if not appeals:
        return [Reply(texts.NO_APPEALS)]
    lines = [texts.STATUS_HEAD]
    for appeal in appeals:
        category = BY_CODE.get(appeal.category)
        open_due = appeal.due_at is not None and appeal.status not in ("resolved", "closed")
        lines.append(texts.STATUS_LINE.format(
            number=appeal.number, category=category.name if category else appeal.category,
            address=appeal.address_text or "—", status=STATUS_NOTES.get(appeal.status, appeal.status).lower(),
            due=f", срок до {local_time(appeal.due_at)}" if open_due and appeal.due_at else ""))
    return [Reply("\n".join(lines))]
