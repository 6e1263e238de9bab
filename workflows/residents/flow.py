"""The conversation: /start → address → building confirmed → (known incident?) → category → text →
photo → phone → confirm → appeal number.  Each step takes the chat and returns what to say."""
from __future__ import annotations

from connectors import CONTACT_REQUEST, Button
from workflows.appeals.catalog import BY_CODE, CATEGORIES
from workflows.appeals.incidents import open_incident_for
from workflows.appeals.models import Incident
from workflows.db import db
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building
from workflows.residents import texts
from workflows.residents.chats import Reply, local_time, move
from workflows.residents.models import ResidentChat
from workflows.resources import PUBLIC_ORDER, label


def start(chat: ResidentChat) -> list[Reply]:
    move(chat, "address", building_id=None, address=None, category=None, text=None, photo=None)
    chat.data = {}
    return [Reply(texts.WELCOME)]


def address_typed(chat: ResidentChat, typed: str) -> list[Reply]:
    index = registry_index()
    resolution = index.resolve(typed)
    again = Button(texts.BUTTON_AGAIN, "bot:again")
    if resolution.building_id is not None:
        building = db.session.get(Building, resolution.building_id)
        if building is not None:
            move(chat, "building")
            return [Reply(texts.CONFIRM_BUILDING.format(address=building.address),
                          (Button(texts.BUTTON_YES_BUILDING, f"bot:b:{building.id}"), again))]
    candidates = resolution.candidates[:5] or index.search(typed, 5)
    if not candidates:
        return [Reply(texts.NO_ADDRESS)]
    move(chat, "building")
    buttons = tuple(Button(c.address, f"bot:b:{c.building_id}") for c in candidates[:5])
    return [Reply(texts.CHOOSE_BUILDING, (*buttons, again))]


def _known(incident: Incident) -> str:
    resource = label(incident.resource)
    what = incident.cause or f"авария ({resource})"
    if incident.expected_end is not None:
        what += f", устранение до {local_time(incident.expected_end)}"
    return what


def building_chosen(chat: ResidentChat, building_id: int) -> list[Reply]:
    building = db.session.get(Building, building_id)
    if building is None:
        return [Reply(texts.NO_ADDRESS)]
    move(chat, "category", building_id=building.id, address=building.address)
    for resource in PUBLIC_ORDER:
        incident = open_incident_for(building.id, resource)
        if incident is not None:
            move(chat, "known")
            return [Reply(texts.KNOWN.format(what=_known(incident)),
                          (Button(texts.BUTTON_JOIN, f"bot:k:{incident.resource}"),
                           Button(texts.BUTTON_OTHER, "bot:other")))]
    return categories(chat)


def categories(chat: ResidentChat) -> list[Reply]:
    move(chat, "category")
    return [Reply(texts.CHOOSE_CATEGORY, tuple(Button(c.name, f"bot:c:{c.code}") for c in CATEGORIES))]


def category_chosen(chat: ResidentChat, code: str) -> list[Reply]:
    if code not in BY_CODE:
        return categories(chat)
    move(chat, "text", category=code)
    return [Reply(texts.ASK_TEXT)]


def text_typed(chat: ResidentChat, text: str, photo: str | None) -> list[Reply]:
    move(chat, "photo", text=text[:4000])
    photo = photo or (chat.data or {}).get("photo")
    if photo is not None:
        return photo_given(chat, photo)
    return [Reply(texts.ASK_PHOTO, (Button(texts.BUTTON_NO_PHOTO, "bot:nophoto"),))]


def photo_given(chat: ResidentChat, photo: str | None) -> list[Reply]:
    move(chat, "phone", photo=photo)
    if chat.phone:
        return summary(chat)
    return [Reply(texts.ASK_PHONE, (Button(texts.BUTTON_SHARE_PHONE, CONTACT_REQUEST),
                                    Button(texts.BUTTON_NO_PHONE, "bot:nophone")))]


def summary(chat: ResidentChat) -> list[Reply]:
    move(chat, "confirm")
    data = chat.data or {}
    category = BY_CODE.get(str(data.get("category")))
    text = texts.SUMMARY.format(address=data.get("address", "—"), category=category.name if category else "—",
                                text=data.get("text", "—"), photo="приложено" if data.get("photo") else "нет",
                                phone="указан" if chat.phone else "не указан")
    return [Reply(text, (Button(texts.BUTTON_SEND, "bot:send"), Button(texts.BUTTON_CANCEL, "bot:cancel")))]


def cancel(chat: ResidentChat) -> list[Reply]:
    move(chat, "idle")
    chat.data = {}
    return [Reply(texts.CANCELLED)]
