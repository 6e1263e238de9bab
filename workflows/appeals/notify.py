"""Telling the applicant what happened — honestly, through what can reach them.

A chat the appeal came from (Telegram, MAX) gets the notice through the outbox; a phone caller gets an SMS
where SMS is configured, otherwise the history says a call-back is due and ЦГДС gets a call-back task; an
applicant no channel reaches is told nothing, and the history says so. Nothing claims a delivery: the history
records what was queued, or what was not sent and why.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app

from workflows import citytime, resources
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal
from workflows.delivery import enqueue
from workflows.errors import WorkflowsError
from workflows.runtime.starts import start_process
from workflows.services import services

TEMPLATES = {
    "registered": "Обращение № {number} зарегистрировано. Исполнитель: {organization}. Срок: {due}.",
    "joined_incident": ("Обращение № {number} присоединено к известной аварии ({resource}). {cause}"
                        "Ожидаемое окончание работ: {expected_end}. Мы сообщим, когда её устранят."),
    "accepted": "Обращение № {number} принято в работу: {organization}.",
    "resolved": "По обращению № {number} сообщают: устранено. {comment}{question}",
    "incident_resolved": "По обращению № {number} сообщают: {restored}. {comment}{still}",
    "cannot_resolve": "По обращению № {number} сообщают: устранить невозможно. {comment}",
    "reopened": "Обращение № {number} открыто повторно, исполнителю поставлен новый срок.",
    "closed": "Обращение № {number} закрыто. Спасибо, что сообщили.",
    "extended": "Срок ответа на обращение № {number} продлён до {due}. Причина: {comment}",
}
# Asked only where the applicant can answer with a button; by SMS or a call-back the question would go unheard.
QUESTION = "Проблема решена?"
STILL = "Если у вас всё ещё нет — ответьте «Всё ещё нет»."
CONFIRM_BUTTONS = (("Проблема решена", "fixed"), ("Не решена", "not_fixed"))
RESTORED_BUTTONS = (("Есть", "fixed"), ("Всё ещё нет", "not_fixed"))
BUTTONS = {"resolved": CONFIRM_BUTTONS, "incident_resolved": RESTORED_BUTTONS}
RESOURCE_NAMES = resources.names()
PHONE_CHANNELS = ("phone", "ads")
# What a phone caller must be called back about; registration (and a known failure's expected end) they hear
# from the dispatcher during the call, the rest is seen in the appeal's status.
CALL_BACK_TEMPLATES = ("resolved", "cannot_resolve", "reopened")


def _local(moment: object) -> str:
    if not isinstance(moment, datetime):
        return "уточняется"
    return citytime.moment_text(moment)


def render(appeal: Appeal, template: str, comment: str | None = None, ask: bool = True) -> str:
    incident = appeal.incident
    return TEMPLATES[template].format(
        number=appeal.number,
        organization=appeal.organization.name if appeal.organization else "назначается ЦГДС",
        due=_local(appeal.due_at),
        resource=RESOURCE_NAMES.get(incident.resource, incident.resource) if incident else "",
        cause=f"Причина: {incident.cause}. " if incident and incident.cause else "",
        expected_end=_local(incident.expected_end) if incident else "уточняется",
        comment=f"{comment.strip()} " if comment and comment.strip() else "",
        question=QUESTION if ask else "",
        restored=_restored(incident),
        still=STILL if ask else "",
    ).strip()


def _restored(incident: object) -> str:
    resource = getattr(incident, "resource", None)
    if getattr(incident, "kind", None) in ("outage", "suspected") and resource in RESOURCE_NAMES:
        return f"подача ({RESOURCE_NAMES[resource]}) восстановлена"
    return "устранено"


def _by_chat(appeal: Appeal, template: str, comment: str | None) -> bool:
    """Queue the notice to the applicant's chat; False when no chat of theirs can be written to."""
    sender = services().applicant_sender
    if not appeal.applicant_chat_id or appeal.applicant_channel in PHONE_CHANNELS:
        return False
    text = render(appeal, template, comment)
    buttons = [(label, f"confirm:{appeal.id}:{answer}") for label, answer in BUTTONS.get(template, ())]
    if not sender(appeal, template, text, buttons):
        return False
    add_event(appeal.id, "applicant_notified", text, {"template": template, "channel": appeal.applicant_channel})
    return True


def _by_sms(appeal: Appeal, template: str, comment: str | None) -> bool:
    if not appeal.applicant_phone or not current_app.config.get("SMS_API_KEY"):
        return False
    text = render(appeal, template, comment, ask=False)
    enqueue(f"appeal:{appeal.id}:{template}:{uuid.uuid4().hex[:12]}", f"phone:{appeal.applicant_phone}", "sms",
            appeal.applicant_phone, text, urgent=template in ("joined_incident", "resolved", "incident_resolved"))
    add_event(appeal.id, "applicant_notified", text, {"template": template, "channel": "sms"})
    return True


def _by_call_back(appeal: Appeal, template: str, comment: str | None) -> bool:
    if not appeal.applicant_phone or template not in CALL_BACK_TEMPLATES:
        return False
    text = render(appeal, template, comment, ask=template == "resolved")
    add_event(appeal.id, "callback_due", text, {"template": template, "phone": appeal.applicant_phone})
    try:
        start_process("callback", {"appeal_id": appeal.id, "template": template}, f"callback:{appeal.id}")
    except WorkflowsError:
        # no call-back diagram deployed: the history still says a call is due, and ЦГДС sees it there
        current_app.logger.warning("no callback process deployed; appeal %s needs a call-back", appeal.id)
    return True


def notify_applicant(appeal: Appeal, template: str, comment: str | None = None) -> str:
    """Tell the applicant through what can reach them (in this transaction); the history says what was done."""
    for way in (_by_chat, _by_sms, _by_call_back):
        if way(appeal, template, comment):
            return render(appeal, template, comment)
    if template in CALL_BACK_TEMPLATES or template == "incident_resolved":
        add_event(appeal.id, "applicant_not_notified", None,
                  {"template": template, "channel": appeal.applicant_channel or appeal.channel})
    return render(appeal, template, comment)
