"""Sending the weekly digest once per week, whatever the number of workers: the week is claimed first."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows import clock
from workflows.accounts import permissions
from workflows.accounts.models import User
from workflows.db import db
from workflows.delivery.outbox import enqueue
from workflows.digest.attachment import report_reference
from workflows.digest.models import DIGEST_CHANNELS, DigestRecipient, DigestRun
from workflows.digest.report import city_summary, organization_page, report_week_before, week_report, week_title
from workflows.errors import NotFound, ValidationFailed
from workflows.stats.period import Period, city_zone

log = logging.getLogger(__name__)
CITY_ROLES = ("official", "coordinator", "admin")


def report_link(week: Period) -> str:
    base = str(current_app.config.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/digest/{week.first.isoformat()}.xlsx"


def _claim(week: Period) -> DigestRun | None:
    run = DigestRun(week_start=week.first, sent_at=clock.now(), messages=0)
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        db.session.rollback()
        return None
    return run


def send_weekly_digest(week: Period) -> int:
    """Write the week's messages into the outbox (sent after the commit); 0 when the week was sent already.

    E-mails carry the Excel report as an attachment, made when each is sent (a head gets their own part)."""
    run = _claim(week)
    if run is None:
        log.info("digest for the week of %s was sent already", week.first)
        return 0
    report, link = week_report(week), report_link(week)
    subject = f"Отклик: еженедельный отчёт за {week_title(week)}"
    count = 0
    recipients = db.session.scalars(select(DigestRecipient).join(User).where(
        DigestRecipient.active.is_(True), User.active.is_(True)).order_by(DigestRecipient.id))
    for recipient in recipients:
        user, email = recipient.user, recipient.channel == "email"
        own = user.organization_id if user.role == "org_head" else None
        if user.role in CITY_ROLES:
            text: str | None = city_summary(report, link, attached=email)
        elif user.role == "org_head" and own is not None:
            text = organization_page(report, own, link, attached=email)
        else:
            text = None
        if text is None:
            continue
        enqueue(f"digest:{week.first.isoformat()}", f"user:{user.id}:{recipient.channel}", recipient.channel,
                recipient.address, text, group=f"digest:{week.first.isoformat()}",
                organization_id=user.organization_id, subject=subject if email else None,
                attachment=report_reference(week, own) if email else None)
        count += 1
    run.messages = count
    db.session.commit()
    return count


def digest_due() -> Period | None:
    """The week to send now: the last full week, once the configured weekday and hour (city time) have come."""
    now = clock.now().astimezone(city_zone())
    weekday = int(current_app.config.get("DIGEST_WEEKDAY", 0))
    hour = int(current_app.config.get("DIGEST_HOUR", 9))
    if (now.weekday(), now.hour) < (weekday, hour):
        return None
    week = report_week_before(now)
    sent = db.session.scalar(select(DigestRun.id).where(DigestRun.week_start == week.first))
    return None if sent is not None else week


def digest_tick() -> int:
    """The hourly periodic task: send the due digest, if any."""
    if not current_app.config.get("DIGEST_ENABLED", True):
        return 0
    week = digest_due()
    return send_weekly_digest(week) if week is not None else 0


def subscribe(login: str, channel: str, address: str) -> DigestRecipient:
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"нет пользователя {login}")
    if channel not in DIGEST_CHANNELS or not address.strip():
        raise ValidationFailed("неверный получатель", {"channel": f"одно из: {', '.join(DIGEST_CHANNELS)}"})
    if not permissions.may(user.role, "digest.read"):
        raise ValidationFailed("отчёт получают администрация, ЦГДС и руководители организаций", {"login": login})
    recipient = db.session.scalar(select(DigestRecipient).where(DigestRecipient.user_id == user.id,
                                                               DigestRecipient.channel == channel))
    if recipient is None:
        recipient = DigestRecipient(user_id=user.id, channel=channel, address=address.strip())
        db.session.add(recipient)
    recipient.address, recipient.active = address.strip(), True
    db.session.commit()
    return recipient
