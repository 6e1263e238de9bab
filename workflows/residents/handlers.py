"""Inbound handlers (delivery's table): commands, messages, contacts and the bot's buttons.

Each runs in the transaction that marks the update handled and answers through the outbox.
"""
from __future__ import annotations

from collections.abc import Callable

from connectors.inbound import InboundEvent
from workflows import clock
from workflows.db import db
from workflows.residents import flow, texts
from workflows.residents.chats import CHANNELS, Reply, is_private, load_chat, photo_ref, say
from workflows.residents.models import ResidentChat, ResidentConsent
from workflows.residents.submit import send_appeal, status

SKIP_PHONE_WORDS = ("без телефона", "пропустить", "нет")


def _run(event: InboundEvent, step: Callable[[ResidentChat], list[Reply]]) -> None:
    if event.channel not in CHANNELS or not is_private(event):
        return
    chat = load_chat(event)
    replies = step(chat)
    say(chat, event, replies)


def on_command(event: InboundEvent, argument: str) -> None:
    commands: dict[str, Callable[[ResidentChat], list[Reply]]] = {
        "/start": flow.start, "/status": status, "/cancel": flow.cancel}
    step = commands.get(event.command or "", lambda chat: [Reply(texts.IDLE_HELP)])
    _run(event, step)


def _message_step(event: InboundEvent) -> Callable[[ResidentChat], list[Reply]]:
    text = (event.text or "").strip()
    photo = photo_ref(event)

    def step(chat: ResidentChat) -> list[Reply]:
        if chat.state == "address" and text:
            return flow.address_typed(chat, text)
        if chat.state == "text" and text:
            return flow.text_typed(chat, text, photo)
        if chat.state == "text" and photo:  # a photo first: keep it, the words are still missing
            flow.move(chat, "text", photo=photo)
            return [Reply(texts.ASK_TEXT)]
        if chat.state == "photo":
            return flow.photo_given(chat, photo) if photo else [Reply(texts.ASK_PHOTO_AGAIN)]
        if chat.state == "phone" and text:
            return flow.summary(chat)  # "Без телефона" from the reply keyboard, or any words
        if chat.state == "idle":
            return [Reply(texts.IDLE_HELP)]
        return [Reply(texts.USE_BUTTONS)]

    return step


def on_message(event: InboundEvent, argument: str) -> None:
    _run(event, _message_step(event))


def on_contact(event: InboundEvent, argument: str) -> None:
    def step(chat: ResidentChat) -> list[Reply]:
        if not event.phone:
            return [Reply(texts.NOT_OWN_PHONE)]
        chat.phone = event.phone
        db.session.add(ResidentConsent(channel=chat.channel, chat_id=chat.chat_id, user_id=event.user_id,
                                       phone=event.phone, text_version=texts.CONSENT_VERSION,
                                       text=texts.CONSENT_TEXT, given_at=clock.now()))
        if chat.state == "phone":
            return [Reply(texts.PHONE_SAVED), *flow.summary(chat)]
        return [Reply(texts.PHONE_SAVED)]

    _run(event, step)


def _button_step(action: str, value: str) -> Callable[[ResidentChat], list[Reply]] | None:
    steps: dict[str, Callable[[ResidentChat], list[Reply]]] = {
        "again": _again,
        "other": flow.categories,
        "k": lambda chat: flow.category_chosen(chat, value),
        "c": lambda chat: flow.category_chosen(chat, value),
        "nophoto": lambda chat: flow.photo_given(chat, None),
        "nophone": flow.summary,
        "send": send_appeal,
        "cancel": flow.cancel,
    }
    if action == "b" and value.isdigit() and len(value) < 10:
        return lambda chat: flow.building_chosen(chat, int(value))
    return steps.get(action)


def _again(chat: ResidentChat) -> list[Reply]:
    flow.start(chat)
    return [Reply(texts.ASK_ADDRESS)]


# which buttons make sense in which state (a stale button from an old message does nothing)
ALLOWED = {"b": ("building",), "again": ("building", "address"), "k": ("known",), "other": ("known",),
           "c": ("category",), "nophoto": ("photo",), "nophone": ("phone",), "send": ("confirm",),
           "cancel": ("confirm", "building", "category", "text", "photo", "phone", "known")}


def on_button(event: InboundEvent, argument: str) -> str | None:
    action, _, value = argument.partition(":")
    step = _button_step(action, value)
    if step is None or event.channel not in CHANNELS or not is_private(event):
        return texts.STALE
    chat = load_chat(event)
    if chat.state not in ALLOWED.get(action, ()):
        return texts.STALE
    say(chat, event, step(chat))
    return None
