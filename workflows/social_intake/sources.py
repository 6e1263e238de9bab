"""The list of sources (VK walls, VK searches, Telegram chats) kept by coordinators; replies switched by admins."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows import clock
from workflows.accounts.models import User
from workflows.db import db
from workflows.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workflows.social_intake.models import SOURCE_KINDS, SocialSource
from workflows.social_intake.polling import request_poll

KIND_NAMES = {"vk_wall": "Стена группы VK", "vk_search": "Поиск VK по словам",
              "telegram_chat": "Telegram: канал/группа"}
_NUMERIC = re.compile(r"-?\d{1,20}")
MAX_INTERVAL = 24 * 60


def list_sources() -> list[SocialSource]:
    return list(db.session.scalars(select(SocialSource).order_by(SocialSource.id)))


def get_source(source_id: int) -> SocialSource:
    source = db.session.get(SocialSource, source_id)
    if source is None:
        raise NotFound(f"нет источника {source_id}")
    return source


def _interval(value: Any, errors: dict[str, str]) -> int:
    try:
        minutes = int(str(value).strip() or 10)
    except ValueError:
        errors["interval_minutes"] = "целое число минут"
        return 10
    if not 1 <= minutes <= MAX_INTERVAL:
        errors["interval_minutes"] = f"от 1 до {MAX_INTERVAL} минут"
    return minutes


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = str(data.get("kind") or "")
    target = str(data.get("target") or "").strip()
    title = str(data.get("title") or "").strip()[:200]
    if kind not in SOURCE_KINDS:
        errors["kind"] = "выберите вид источника"
    if not target or len(target) > 200:
        errors["target"] = "укажите id группы, слова поиска или id чата (до 200 символов)"
    elif kind in ("vk_wall", "telegram_chat") and not _NUMERIC.fullmatch(target):
        errors["target"] = "числовой id (у группы VK со знаком минус, например -123456)"
    minutes = _interval(data.get("interval_minutes", 10), errors)
    if errors:
        raise ValidationFailed("источник не сохранён", errors)
    return {"kind": kind, "target": target, "title": title or target, "interval_minutes": minutes}


def create_source(data: dict[str, Any]) -> SocialSource:
    """A new source, due for its first poll now.  Commits."""
    fields = _validated(data)
    source = SocialSource(**fields, enabled=True, next_poll_at=clock.now(), created_at=clock.now())
    db.session.add(source)
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        raise Conflict("такой источник уже есть") from err
    return source


def update_source(source_id: int, data: dict[str, Any], user: User) -> SocialSource:
    """Switch a source on or off, change its interval; only an admin switches publishing replies.  Commits."""
    source = get_source(source_id)
    errors: dict[str, str] = {}
    if "interval_minutes" in data:
        source.interval_minutes = _interval(data["interval_minutes"], errors)
    if errors:
        raise ValidationFailed("источник не сохранён", errors)
    if "enabled" in data:
        source.enabled = bool(data["enabled"])
        source.next_poll_at = clock.now() if source.enabled else source.next_poll_at
    if "reply_enabled" in data:
        if user.role != "admin":
            raise Forbidden("публикацию ответов включает администратор")
        source.reply_enabled = bool(data["reply_enabled"]) and source.kind != "telegram_chat"
    db.session.commit()
    return source


def poll_now(source_id: int) -> SocialSource:
    """Queue a poll of a VK source right away.  Commits."""
    source = get_source(source_id)
    if source.kind == "telegram_chat":
        raise Conflict("сообщения Telegram приходят боту сами, опрашивать нечего")
    request_poll(source.id)
    db.session.commit()
    return source


def telegram_source(chat_id: str) -> SocialSource | None:
    return db.session.scalar(select(SocialSource).where(SocialSource.kind == "telegram_chat",
                                                        SocialSource.target == chat_id,
                                                        SocialSource.enabled.is_(True)))
