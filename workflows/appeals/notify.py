"""Telling the applicant what happened, through the channel the appeal came from."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app

from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal

TEMPLATES = {
    "registered": "Обращение № {number} зарегистрировано. Исполнитель: {organization}. Срок: {due}.",
    "joined_incident": ("Обращение № {number} присоединено к известной аварии ({resource}). {cause}"
                        "Ожидаемое окончание работ: {expected_end}. Мы сообщим, когда её устранят."),
    "accepted": "Обращение № {number} принято в работу: {organization}.",
    "resolved": "По обращению № {number} сообщают: устранено. {comment}Проблема решена?",
    "incident_resolved": ("По обращению № {number} сообщают: {restored}. {comment}"
                          "Если у вас всё ещё нет — ответьте «Всё ещё нет»."),
    "cannot_resolve": "По обращению № {number} сообщают: устранить невозможно. {comment}",
    "reopened": "Обращение № {number} открыто повторно, исполнителю поставлен новый срок.",
    "closed": "Обращение № {number} закрыто. Спасибо, что сообщили.",
}
CONFIRM_BUTTONS = (("Проблема решена", "fixed"), ("Не решена", "not_fixed"))
RESTORED_BUTTONS = (("Есть", "fixed"), ("Всё ещё нет", "not_fixed"))
RESOURCE_NAMES = {"heating": "отопление", "hot_water": "горячая вода", "cold_water": "холодная вода",
                  "sewerage": "канализация", "electricity": "электроснабжение", "gas": "газ"}


def _local(moment: object) -> str:
    if moment is None or not hasattr(moment, "astimezone"):
        return "уточняется"
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Europe/Moscow"))
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def render(appeal: Appeal, template: str, comment: str | None = None) -> str:
    incident = appeal.incident
    return TEMPLATES[template].format(
        number=appeal.number,
        organization=appeal.organization.name if appeal.organization else "назначается ЦГДС",
        due=_local(appeal.due_at),
        resource=RESOURCE_NAMES.get(incident.resource, incident.resource) if incident else "",
        cause=f"Причина: {incident.cause}. " if incident and incident.cause else "",
        expected_end=_local(incident.expected_end) if incident else "уточняется",
        comment=f"{comment.strip()} " if comment and comment.strip() else "",
        restored=_restored(incident),
    )


def _restored(incident: object) -> str:
    resource = getattr(incident, "resource", None)
    if getattr(incident, "kind", None) in ("outage", "suspected") and resource in RESOURCE_NAMES:
        return f"подача ({RESOURCE_NAMES[resource]}) восстановлена"
    return "устранено"


def notify_applicant(appeal: Appeal, template: str, comment: str | None = None) -> str:
    """Record the notice in the history and queue it for the applicant's channel (in this transaction)."""
    text = render(appeal, template, comment)
    choices = {"resolved": CONFIRM_BUTTONS, "incident_resolved": RESTORED_BUTTONS}.get(template, ())
    buttons = [(label, f"confirm:{appeal.id}:{answer}") for label, answer in choices]
    add_event(appeal.id, "applicant_notified", text, {"template": template, "channel": appeal.applicant_channel})
    sender = current_app.extensions.get("otklik.applicant_sender")
    if sender is not None and appeal.applicant_channel and appeal.applicant_chat_id:
        sender(appeal, template, text, buttons)
    return text
