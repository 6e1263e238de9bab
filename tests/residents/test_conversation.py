"""A resident reports a problem in Telegram and in MAX: one conversation design, end to end to an appeal."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram
from tests.residents.chat import MaxChat, TelegramChat, drain, payloads
from tests.web.helpers import user_with_token
from workflows.appeals.models import Appeal, AppealEvent
from workflows.db import db
from workflows.registry.models import Organization
from workflows.residents.models import ResidentConsent


def _appeal(channel: str) -> Appeal:
    db.session.remove()
    appeal = db.session.scalar(select(Appeal).where(Appeal.channel == channel))
    assert appeal is not None
    return appeal


def _resolve(app: Flask, uk1_id: int, appeal_id: int) -> None:
    client, staff = app.test_client(), user_with_token("uk_staff", "org_staff", db.session.get(Organization, uk1_id))
    for name, data in (("accept", {"decision": "accept"}), ("resolve", {"result": "resolved", "comment": "Готово"})):
        task = client.get(f"/api/v1/tasks?appeal_id={appeal_id}&name={name}", headers=staff).get_json()["items"][0]
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=staff,
                           json={"data": data}).status_code == 200
    db.session.remove()


def test_a_full_telegram_conversation_registers_the_appeal_and_answers_the_resolution(
        bot_app: Flask, city: City, fake_telegram: FakeTelegram) -> None:
    s45, uk1 = city.sovetskaya_45.id, city.uk1.id
    chat = TelegramChat(bot_app, fake_telegram, 5001)
    assert "адрес" in chat.say("/start")[0].text
    shown = chat.say("Советская 45")
    assert "ул. Советская, д. 45" in shown[0].text and f"bot:b:{s45}" in payloads(shown)
    assert "bot:c:roof" in payloads(chat.press(f"bot:b:{s45}"))
    assert "Опишите" in chat.press("bot:c:roof")[0].text
    assert payloads(chat.say("Течёт крыша над кухней, кв. 7")) == ["bot:nophoto"]
    ask_phone = chat.photo("AgADphoto")
    assert "request_contact" in ask_phone[0].raw["reply_markup"]  # the share-contact button
    summary = chat.share_phone("8 900 111-22-33")
    assert "номер сохранён" in summary[0].text and "Фото: приложено" in summary[-1].text
    done = chat.press("bot:send")
    number = _appeal("telegram").number
    assert any(f"№ {number} зарегистрировано" in m.text for m in done)
    appeal = _appeal("telegram")
    assert (appeal.category, appeal.building_id, appeal.applicant_chat_id, appeal.applicant_phone) == (
        "roof", s45, "5001", "+79001112233")
    photo = db.session.scalar(select(AppealEvent).where(AppealEvent.appeal_id == appeal.id,
                                                        AppealEvent.kind == "photo"))
    assert photo is not None and photo.data["file"] == "telegram:AgADphoto"
    consent = db.session.scalar(select(ResidentConsent))
    assert consent is not None and consent.phone == "+79001112233" and consent.text_version
    appeal_id = appeal.id
    assert number in chat.say("/status")[0].text
    _resolve(bot_app, uk1, appeal_id)
    drain()
    notice = chat.new_messages()[-1]
    assert "Проблема решена?" in notice.text and f"confirm:{appeal_id}:fixed" in payloads([notice])
    assert "закрыто" in chat.press(f"confirm:{appeal_id}:fixed")[0].text
    assert _appeal("telegram").status == "closed"


def test_a_max_resident_sees_the_known_incident_and_joins_it(bot_app: Flask, city: City, fake_max: FakeMax) -> None:
    dispatcher = user_with_token("disp", "dispatcher", city.cgds)
    first = bot_app.test_client().post("/api/v1/appeals", headers=dispatcher, json={
        "text": "Нет горячей воды во всём доме", "channel": "phone", "building_id": city.sovetskaya_47.id,
        "category": "hot_water", "emergency": True}).get_json()
    assert first["incident_id"]
    s47 = city.sovetskaya_47.id
    chat = MaxChat(fake_max, 7001)
    assert "адрес" in chat.start()[0].text
    assert f"bot:b:{s47}" in payloads(chat.say("советская 47"))
    known = chat.press(f"bot:b:{s47}")
    assert known[0].text.startswith("Известно:") and "добавить ваше обращение?" in known[0].text
    assert "Опишите" in chat.press("bot:k:hot_water")[0].text
    chat.say("И у нас в 3 подъезде нет горячей воды")
    ask_phone = chat.press("bot:nophoto")
    assert "Без телефона" in [b.text for b in ask_phone[0].buttons]
    assert "Отправить?" in chat.press("bot:nophone")[0].text
    chat.press("bot:send")
    appeal = _appeal("max")
    assert (appeal.status, appeal.incident_id, appeal.applicant_phone) == ("joined", first["incident_id"], None)
    assert appeal.applicant_chat_id == f"chat:{chat.address}"
    assert "присоединено к известной аварии" in chat.say("/status")[0].text.lower()


def test_stale_buttons_and_group_chats_do_nothing(bot_app: Flask, city: City, fake_telegram: FakeTelegram) -> None:
    chat = TelegramChat(bot_app, fake_telegram, 5002)
    chat.say("/start")
    assert chat.press("bot:send") == []  # nothing to send yet: the button is stale
    group = TelegramChat(bot_app, fake_telegram, -100777)
    assert group.say("/start") == [] and group.say("Советская 45") == []
