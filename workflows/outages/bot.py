"""Messenger handlers: `/start <token>` and "Согласен" enrol, `/stop` and "Выйти" leave, "Есть"/"Нет" answers.

They run inside delivery's inbound handling (see workflows.delivery.inbound): each gets the event and the
argument of its payload and returns the short answer shown to whoever pressed a button. Replies to
commands go out through the outbox.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from connectors import Button
from connectors.inbound import InboundEvent
from workflows.db import db
from workflows.delivery import enqueue
from workflows.delivery.acks import same_recipient
from workflows.delivery.models import OutboxMessage
from workflows.errors import WorkflowsError
from workflows.ids import digits
from workflows.outages import representatives as reps
from workflows.outages.facts import representative_reports_temperature
from workflows.outages.feedback import record_answer
from workflows.outages.models import Representative

Handler = Callable[[InboundEvent, str], str | None]
UNKNOWN_LINK = "Ссылка-приглашение не найдена или устарела. Попросите новую у управляющей компании."


def reply(event: InboundEvent, text: str, buttons: tuple[Button, ...] = ()) -> None:
    """A bot answer to a command, through the outbox (sent after the handling commits)."""
    enqueue(f"bot:{event.channel}:{event.update_id}", f"{event.channel}:{event.reply_address}", event.channel,
            event.reply_address, text, buttons=buttons, urgent=True)


def on_start(event: InboundEvent, token: str) -> str | None:
    building = reps.building_for_token(token.strip()) if token.strip() else None
    if building is None:
        reply(event, UNKNOWN_LINK if token.strip() else "Здравствуйте! Это бот «Отклик» города Тамбова.")
        return None
    _start_reply(event, building.address, token.strip())
    return None


def _start_reply(event: InboundEvent, address: str, token: str) -> None:
    reply(event, f"Дом: {address}. Вы станете представителем дома и будете получать уведомления об "
                 f"отключениях, чтобы передавать их жителям.\n\n{reps.CONSENT_TEXT}\n(версия {reps.CONSENT_VERSION})",
          (Button("Согласен", f"rep_join:{token}"),))


def _subscribed(event: InboundEvent) -> bool:
    return db.session.scalar(select(Representative.id).where(
        Representative.channel == event.channel, Representative.address == event.reply_address,
        Representative.active.is_(True)).limit(1)) is not None


def on_stop(event: InboundEvent) -> str | None:
    rows = db.session.scalars(select(Representative).where(
        Representative.channel == event.channel, Representative.address == event.reply_address,
        Representative.active.is_(True))).all()
    for rep in rows:
        reps.leave(rep)
    reply(event, "Вы больше не получаете уведомления об отключениях." if rows else "Вы не были подписаны.")
    return None


def on_join(event: InboundEvent, token: str) -> str:
    building = reps.building_for_token(token)
    if building is None:
        return UNKNOWN_LINK
    fields = {"name": "", "role": "active_resident", "channel": event.channel, "address": event.reply_address}
    try:
        rep = reps.enrol(building.id, fields, event.channel)
    except WorkflowsError as error:
        return error.message
    reply(event, f"Готово: вы представитель дома {building.address}. Уведомления об отключениях будут приходить "
                 "сюда. Отписаться — /stop или кнопка «Выйти».", (Button("Выйти", f"rep_leave:{rep.id}"),))
    return "Вы подключены к уведомлениям"


def on_leave(event: InboundEvent, argument: str) -> str:
    rep = db.session.get(Representative, int(argument)) if digits(argument) else None
    if rep is None or rep.channel != event.channel or rep.address != event.reply_address:
        return "Подписка не найдена"
    reps.leave(rep)
    return "Вы больше не получаете уведомления"


def _answer(event: InboundEvent, argument: str, answer: str) -> str:
    row = db.session.get(OutboxMessage, int(argument)) if digits(argument) else None
    if row is None or not same_recipient(row, event) or not (row.group_key or "").startswith("outage:"):
        return "Это уведомление не найдено."
    rep_id = row.recipient_key.removeprefix("rep:")
    outage_id = (row.group_key or "").removeprefix("outage:")
    if not (rep_id.isdigit() and outage_id.isdigit()):
        return "Это уведомление не найдено."
    return record_answer(int(outage_id), int(rep_id), answer, event)


def on_yes(event: InboundEvent, argument: str) -> str:
    return _answer(event, argument, "yes")


def on_no(event: InboundEvent, argument: str) -> str:
    return _answer(event, argument, "no")


TEMPERATURE_COMMANDS = ("/temp", "/температура")


def on_temperature(event: InboundEvent, argument: str) -> str | None:
    """A representative reports the air temperature in the flats during a heating outage (ПП 354 п. 15)."""
    rep_id = db.session.scalar(select(Representative.id).where(
        Representative.channel == event.channel, Representative.address == event.reply_address,
        Representative.active.is_(True)).limit(1))
    text = argument or (event.payload or "")
    reply(event, representative_reports_temperature(rep_id, text) if rep_id is not None
          else "Температуру принимаем только от представителей дома.")
    return None


def command_handler(previous: Handler | None) -> Handler:
    """`/start`, `/stop` and `/temp` are ours; any other command goes to the handler registered before."""

    def handle(event: InboundEvent, argument: str) -> str | None:
        token = (event.payload or "").strip()
        if event.command == "/start" and (previous is None or reps.building_for_token(token) is not None):
            return on_start(event, token)
        if event.command == "/stop" and (previous is None or _subscribed(event)):
            return on_stop(event)
        if event.command in TEMPERATURE_COMMANDS and (previous is None or _subscribed(event)):
            return on_temperature(event, argument)
        return previous(event, argument) if previous is not None else None

    return handle
