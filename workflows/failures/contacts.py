"""Where an admin or coordinator receives failure alerts."""
from __future__ import annotations

from sqlalchemy import select

from workflows.accounts.models import User
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.failures.alerts import ALERT_ROLES
from workflows.failures.models import AlertContact

CHANNELS = ("telegram", "max", "vk", "email", "sms")


def set_alert_contact(login: str, channel: str, address: str) -> AlertContact:
    """Add or change the user's address on one channel; commits."""
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"нет пользователя {login}")
    errors: dict[str, str] = {}
    if user.role not in ALERT_ROLES:
        errors["login"] = "оповещения о сбоях получают администраторы и координаторы"
    if channel not in CHANNELS:
        errors["channel"] = f"один из: {', '.join(CHANNELS)}"
    if not address.strip() or len(address) > 300:
        errors["address"] = "адрес: chat id, телефон или e-mail"
    if errors:
        raise ValidationFailed("адрес для оповещений не сохранён", errors)
    contact = db.session.scalar(select(AlertContact).where(AlertContact.user_id == user.id,
                                                           AlertContact.channel == channel))
    if contact is None:
        contact = AlertContact(user_id=user.id, channel=channel, address=address.strip())
        db.session.add(contact)
    contact.address = address.strip()
    db.session.commit()
    return contact
