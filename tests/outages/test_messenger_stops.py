"""A representative who stops the bot, deletes the dialog or removes it from the chat is switched off."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.appeals.city import City
from tests.outages.helpers import representative
from workflows.db import db
from workflows.delivery import history, receive_update, unreachable_addresses
from workflows.outages.models import Consent, Representative


def _max_update(update_type: str, chat_id: int, user_id: int, is_bot: bool = False) -> dict[str, Any]:
    return {"update_type": update_type, "chat_id": chat_id, "timestamp": 1764900000000,
            "user": {"user_id": user_id, "name": "Жилец", "is_bot": is_bot}}


def _fresh(rep: Representative) -> Representative:
    db.session.expire_all()
    found = db.session.get(Representative, rep.id)
    assert found is not None
    return found


def test_bot_stopped_in_max_switches_the_representative_off_with_a_history_entry(app: Flask, city: City) -> None:
    rep = representative(city.sovetskaya_45, 0, channel="max")
    rep.address = "chat:-9001"
    other = representative(city.sovetskaya_45, 0, channel="max")
    other.address = "chat:-9002"
    db.session.commit()

    assert receive_update("max", _max_update("bot_stopped", -9001, 301))
    assert not receive_update("max", _max_update("bot_stopped", -9001, 301))  # the same update again

    stopped = _fresh(rep)
    assert (stopped.active, stopped.unreachable_at is not None, stopped.left_at is not None) == (False, True, True)
    assert db.session.scalar(select(Consent.withdrawn_at).where(Consent.representative_id == rep.id)) is not None
    [entry] = history(recipient_key=f"rep:{rep.id}")
    assert entry.kind == "recipient_stopped"
    assert entry.text == ("Представитель отключён от уведомлений: пользователь остановил бота в MAX. "
                          "Вернуться можно по ссылке-приглашению дома.")
    assert [(u.channel, u.address) for u in unreachable_addresses()] == [("max", "chat:-9001")]
    assert _fresh(other).active  # someone else's chat is untouched


def test_a_deleted_dialog_and_a_removed_bot_count_but_another_users_removal_does_not(
        app: Flask, city: City) -> None:
    by_user = representative(city.sovetskaya_45, 0, channel="max")
    by_user.address = "user:302"
    in_chat = representative(city.sovetskaya_45, 0, channel="max")
    in_chat.address = "chat:-7000"
    db.session.commit()

    receive_update("max", _max_update("user_removed", -7000, 555))  # a resident left the building chat
    assert _fresh(in_chat).active
    receive_update("max", _max_update("dialog_removed", -9302, 302))
    receive_update("max", _max_update("user_removed", -7000, 800000001, is_bot=True))  # our bot was removed

    assert not _fresh(by_user).active and not _fresh(in_chat).active
    assert [e.text.split(":")[1].split(" в ")[0].strip() for e in history(recipient_key=f"rep:{in_chat.id}")] == \
        ["бота удалили из чата"]


def test_blocking_the_telegram_bot_switches_the_representative_off(app: Flask, city: City) -> None:
    rep = representative(city.sovetskaya_45, 6101)
    update = {"update_id": 99, "my_chat_member": {
        "chat": {"id": 6101, "type": "private"}, "from": {"id": 6101, "is_bot": False, "first_name": "Жилец"},
        "date": 0, "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "b"}},
        "new_chat_member": {"status": "kicked", "until_date": 0,
                            "user": {"id": 1, "is_bot": True, "first_name": "b"}}}}
    receive_update("telegram", update)

    assert not _fresh(rep).active
    assert "пользователь заблокировал бота в Telegram" in history(recipient_key=f"rep:{rep.id}")[0].text


def test_staff_see_why_a_representative_was_switched_off(app: Flask, city: City) -> None:
    from tests.web.helpers import user_with_token

    rep = representative(city.sovetskaya_45, 0, channel="max")
    rep.address = "chat:-9001"
    db.session.commit()
    receive_update("max", _max_update("bot_stopped", -9001, 301))
    staff = user_with_token("disp", "dispatcher", city.cgds)

    answer = app.test_client().get(f"/api/v1/buildings/{city.sovetskaya_45.id}/representatives", headers=staff)

    [item] = answer.get_json()["items"]
    assert (item["active"], item["consent"]["withdrawn_at"] is not None) == (False, True)
    assert [h["kind"] for h in item["history"]] == ["recipient_stopped"]
    assert item["history"][0]["text"].startswith("Представитель отключён от уведомлений")
