"""Russian labels and time phrases for the screens and the export."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from web import process_names
from workflows import clock, resources
from workflows.appeals.catalog import BY_CODE, CATEGORIES
from workflows.plural import plural

STATUS_LABELS = {
    "registered": "зарегистрировано", "rerouting": "на переназначении", "assigned": "назначено",
    "accepted": "в работе", "joined": "в инциденте", "resolved": "решено", "reopened": "открыто повторно",
    "closed": "закрыто", "manual": "требует ручной обработки",
}
CHANNEL_LABELS = {
    "phone": "телефон", "ads": "АДС", "telegram": "Telegram", "max": "MAX", "vk": "ВКонтакте", "web": "сайт",
    "open311": "Open311", "api": "API", "letter": "письмо (59-ФЗ)",
}
EVENT_LABELS = {
    "letter_received": "Письменное обращение поступило", "extended": "Срок ответа продлён",
    "registered": "Зарегистрировано", "routed": "Маршрутизировано", "deadlines": "Назначены сроки",
    "assigned": "Передано организации", "accepted": "Принято в работу", "misrouted": "Возвращено: не наше",
    "rerouted": "Переназначено", "reminder": "Напоминание о сроке", "escalated": "Эскалация",
    "escalation_answered": "Ответ на эскалацию", "resolved": "Устранено", "cannot_resolve": "Устранить невозможно",
    "joined_incident": "Присоединено к инциденту", "applicant_notified": "Сообщение заявителю поставлено в очередь",
    "applicant_not_notified": "Заявителю не сообщено: нет канала связи",
    "callback_failed": "Не дозвонились до заявителя",
    "resident_answer": "Ответ заявителя", "reopened": "Открыто повторно", "closed": "Закрыто",
    "incident_absorbed": "Передано в аварию на сети", "incident_released": "Возвращено организации дома",
    "suspicion_rejected": "Авария на сети не подтверждена", "incident_reopened": "Подачи всё ещё нет",
    "social_post": "Пост в соцсети", "social_post_edited": "Пост изменён автором",
    "social_reply_posted": "Ответ опубликован в соцсети", "social_answer_interim": "Промежуточный ответ в соцсети",
    "social_answer_final": "Окончательный ответ в соцсети", "social_answer_reminder": "Напоминание: ответ в соцсети",
    "social_answer_overdue": "Просрочен ответ в соцсети",
    "delivery_failover": "Уведомление заявителю: другой канал",
    "delivery_failed": "Уведомление заявителю не доставлено",
    "manual_handling": "Процесс остановился: нужна ручная обработка", "manual_assignment": "Назначено вручную",
    "claimed": "Взято в работу сотрудником", "reassigned": "Задача передана сотруднику",
    "released": "Задача освобождена", "callback_due": "Нужно перезвонить заявителю",
    "callback_done": "Заявителю перезвонили", "building_attached": "Привязан дом из реестра",
}
ROLE_LABELS = {
    "dispatcher": "диспетчер ЦГДС", "coordinator": "координатор ЦГДС", "org_staff": "диспетчер организации",
    "org_head": "руководитель организации", "official": "администрация города", "designer": "проектировщик процессов",
    "admin": "администратор", "integration": "внешняя система",
}
SUPPLY_LABELS = resources.names()  # one source: workflows.resources
KIND_LABELS = {"uk": "УК", "tsj": "ТСЖ", "rso": "РСО", "gas_emergency": "аварийная газовая служба", "cgds": "ЦГДС",
               "city": "администрация"}
TASK_LABELS = {"accept": "Принять обращение", "resolve": "Устранить", "reroute": "Назначить исполнителя",
               "escalation": "Эскалация", "suspected_outage": "Подтвердить аварию на сети",
               "manual_handling": "Ручная обработка", "call_back": "Перезвонить заявителю"}
RESOURCE_LABELS = {c.resource: c.name for c in CATEGORIES if c.resource}
ROLE_LABELS = {"dispatcher": "диспетчер ЦГДС", "coordinator": "старший смены ЦГДС",
               "org_staff": "диспетчер организации", "org_head": "руководитель организации",
               "official": "администрация города",
               "designer": "проектировщик процессов", "admin": "администратор", "integration": "внешняя система"}


STATE_LABELS = {  # process instances and their tasks
    "running": "выполняется", "waiting": "ждёт", "completed": "завершён", "error": "ошибка", "cancelled": "отменён",
    "open": "открыта", "manual": "ручная обработка",
}


PROCESS_EVENT_LABELS = {
    "started": "запущен", "completed": "завершён", "error": "ошибка", "retried": "повторён после ошибки",
    "timer_fired": "сработал таймер", "task_claimed": "задачу взяли", "task_assigned": "задачу назначили",
    "task_completed": "задачу выполнили", "message_received": "получено сообщение", "replaced": "заменён новым",
    "migrated": "переведён на другую версию",
}


def process_event_label(code: str | None) -> str:
    return PROCESS_EVENT_LABELS.get(code or "", code or "")


def task_label(name: str | None) -> str:
    """A step's name for people: «Принять обращение» for `accept`; other names as the diagram gives them."""
    return TASK_LABELS.get(name or "", name or "")


def state_label(code: str | None) -> str:
    return STATE_LABELS.get(code or "", code or "")


def status_label(code: str | None) -> str:
    return STATUS_LABELS.get(code or "", code or "")


def channel_label(code: str | None) -> str:
    return CHANNEL_LABELS.get(code or "", code or "")


def category_label(code: str | None) -> str:
    entry = BY_CODE.get(code or "")
    return entry.name if entry else (code or "")


def supply_label(code: str | None) -> str:
    return SUPPLY_LABELS.get(code or "", code or "")


def kind_label(code: str | None) -> str:
    return KIND_LABELS.get(code or "", code or "")


def role_label(code: str | None) -> str:
    return ROLE_LABELS.get(code or "", "сотрудник")


def person(user: Any) -> str:
    """'Иванов И. И. (диспетчер организации, ООО «УК Центральная»)'; 'система' for the system's steps."""
    if user is None:
        return "система"
    details = ", ".join(part for part in (role_label(user.role), user.organization.name if user.organization else "")
                        if part)
    return f"{user.full_name or user.login} ({details})"


def event_label(kind: str | None) -> str:
    return EVENT_LABELS.get(kind or "", kind or "")


DETAIL_LABELS = {"channel": "канал", "category": "категория", "emergency": "аварийное", "incident_id": "инцидент №",
                 "level": "уровень", "answer": "ответ", "stage": "этап", "refusals": "отказов", "title": "задача",
                 "assignee": "исполнитель", "unlisted_address": "адрес вне реестра", "address": "дом"}


VALUE_LABELS = {
    "answer": {"fixed": "решено", "not_fixed": "не решено", "no_answer": "не ответил"},
    "stage": {"accept": "принятие", "resolve": "устранение"},
    "title": {},
}


def event_details(data: dict[str, Any] | None) -> str:
    """The parts of an event's data a person reads: 'канал: телефон; категория: Отопление'."""
    parts = []
    for key, label in DETAIL_LABELS.items():
        value = (data or {}).get(key)
        if value is None:
            continue
        if key == "channel":
            value = channel_label(str(value))
        elif key == "category":
            value = category_label(str(value))
        elif isinstance(value, bool):
            value = "да" if value else "нет"
        elif key in VALUE_LABELS:
            value = VALUE_LABELS[key].get(str(value), value)
        parts.append(f"{label} {value}" if key == "incident_id" else f"{label}: {value}")
    return "; ".join(parts)


def percent(share: float | None, digits: int = 0) -> str:
    """0.54 -> '54 %'; 0.9567 with one digit -> '95,7 %'; '—' when unknown."""
    if share is None:
        return "—"
    text = f"{float(share) * 100:.{digits}f}".replace(".", ",")
    return f"{text} %"


def confidence(share: float | None) -> str:
    """A classifier's confidence in words with its percent: 'средняя (54 %)'."""
    if share is None:
        return "—"
    word = "высокая" if share >= 0.8 else "средняя" if share >= 0.5 else "низкая"
    return f"{word} ({percent(share)})"


def detail_lines(details: Any) -> list[str]:
    """An error's details as sentences a person reads: the messages only, never a Python dict or field codes."""
    if details is None or details == "" or details == {} or details == []:
        return []
    if isinstance(details, str):
        return [details]
    if isinstance(details, dict):
        if "message" in details:
            return [str(details["message"])]
        return [line for value in details.values() for line in detail_lines(value)]
    if isinstance(details, list | tuple):
        return [line for item in details for line in detail_lines(item)]
    return []


def _span(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} д {hours} ч"
    if hours:
        return f"{hours} ч {mins} мин"
    return f"{mins} мин"


def time_left(due: datetime | None, now: datetime) -> str:
    """'осталось 2 ч 15 мин' or 'просрочено на 1 д 3 ч'; empty without a deadline."""
    if due is None:
        return ""
    minutes = int((due - now).total_seconds() // 60)
    if minutes < 0:
        return "просрочено на " + _span(-minutes)
    return "осталось " + _span(minutes)


def init_app(app: Flask) -> None:
    filters = (("status_label", status_label), ("channel_label", channel_label), ("category_label", category_label),
               ("event_label", event_label), ("event_details", event_details), ("role_label", role_label),
               ("person", person), ("resource_label", supply_label), ("kind_label", kind_label),
               ("percent", percent), ("confidence", confidence), ("plural", plural),
               ("detail_lines", detail_lines), ("state_label", state_label),
               ("process_event_label", process_event_label), ("task_label", task_label))
    for name, function in filters:
        app.add_template_filter(function, name)
    process_names.init_app(app)
    app.add_template_global(time_left, "time_left")
    app.add_template_global(clock.now, "now_utc")
    app.jinja_env.globals.update(CATEGORIES=CATEGORIES, TASK_LABELS=TASK_LABELS, RESOURCE_LABELS=RESOURCE_LABELS,
                                 STATUS_LABELS=STATUS_LABELS, KIND_LABELS=KIND_LABELS,
                                 ROLE_LABELS=ROLE_LABELS)
