"""An appeal as an Open311 service request: building-level facts only, never the resident's data."""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from workflows import citytime
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.models import Appeal

CLOSED_STATUSES = ("resolved", "closed")
STATUS_NOTES = {
    "registered": "Зарегистрировано", "rerouting": "Уточняется исполнитель", "assigned": "Передано исполнителю",
    "accepted": "Принято в работу", "joined": "Присоединено к известной аварии",
    "resolved": "Исполнитель сообщил об устранении", "reopened": "Открыто повторно: заявитель сообщил, что не решено",
    "closed": "Закрыто", "manual": "Рассматривается диспетчером ЦГДС",
}
# Every pattern below runs on a resident's text in linear time: possessive quantifiers and atomic groups (Python
# 3.11) never give back what they took, and no two quantifiers may take the same characters one after the other.
# (Before, «1» and 3,000 spaces held a worker for a minute.)
_PHONE = re.compile(r"(?<!\d)\+?\d(?:[\s\-()]*+\+?\d){7,}+")  # eight digits or more
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|собака|собачка)\s*[)\]}>]\s*|\s+(?:at|собака|собачка)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|точка)\s*[)\]}>]\s*|\s+(?:dot|точка)\s+)"
# An address starts only where a word starts (the look-behind): otherwise every letter of a long word is a start.
_EMAIL = re.compile(rf"(?i)(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+")
_FLAT = re.compile(r"(?i)\b(кв\.?|квартир\w*+)(?>\s*+(?:номер|ном\.|№|n|no\.?))?+\s*+\d++(?>\s*+\w\b|\b)")
_FLAT_BEFORE = re.compile(r"(?i)\b\d++(?>\s*+-)?+(?>\s*+(?:й|я|ой|ая|ую|ей)\b)?+\s++(квартир\w*)")
_INITIALS = re.compile(r"\b[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?")
_WORD = re.compile(r"\b[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\b")
PERSON_TAGS = ("Name", "Surn", "Patr")
NAME_HIDDEN, FLAT_HIDDEN = "[имя скрыто]", "[скрыт]"


@lru_cache(maxsize=50_000)
def _person(word: str) -> bool:
    """A capitalised word that is a first name, surname or patronymic in any likely reading."""
    from workflows.addresses.morph import analyzer

    return any(tag in parse.tag for parse in analyzer().parse(word)[:3] for tag in PERSON_TAGS)


def scrub(text: str) -> str:
    """The appeal's text without names, phone numbers, e-mail addresses (also written as «ivan(at)mail.ru»
    or «ivan собака mail точка ru») and flat numbers."""
    text = _EMAIL.sub("[e-mail скрыт]", text)
    text = _PHONE.sub("[телефон скрыт]", text)
    text = _FLAT.sub(lambda m: f"{m.group(1)} {FLAT_HIDDEN}", text)
    text = _FLAT_BEFORE.sub(lambda m: f"{FLAT_HIDDEN} {m.group(1)}", text)
    text = _WORD.sub(lambda m: NAME_HIDDEN if _person(m.group(0)) else m.group(0), text)
    text = _INITIALS.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def w3c(moment: datetime | None) -> str | None:
    """ISO 8601 with the city's offset, seconds precision (the specification's w3 format)."""
    if moment is None:
        return None
    return citytime.local(moment).replace(microsecond=0).isoformat()


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def _updated(appeal: Appeal) -> datetime:
    moments = [m for m in (appeal.created_at, appeal.accepted_at, appeal.resolved_at, appeal.closed_at) if m]
    return max(moments)


def service_request(appeal: Appeal) -> dict[str, Any]:
    category = BY_CODE.get(appeal.category)
    building = appeal.building
    return {
        "service_request_id": str(appeal.id),
        "status": open311_status(appeal.status),
        "status_notes": STATUS_NOTES.get(appeal.status, appeal.status),
        "service_name": category.name if category else appeal.category,
        "service_code": appeal.category,
        "description": scrub(appeal.text),
        "agency_responsible": appeal.organization.name if appeal.organization else None,
        "service_notice": None,
        "requested_datetime": w3c(appeal.created_at),
        "updated_datetime": w3c(_updated(appeal)),
        "expected_datetime": w3c(appeal.resolve_due_at or appeal.due_at),
        "address": building.address if building else appeal.address_text,
        "address_id": str(building.id) if building else None,
        "zipcode": None,
        "lat": building.lat if building else None,
        "long": building.lon if building else None,
        "media_url": None,
        "extensions": {"number": appeal.number, "status": appeal.status, "emergency": appeal.emergency,
                       "incident_id": str(appeal.incident_id) if appeal.incident_id else None,
                       "channel": appeal.channel},
    }
