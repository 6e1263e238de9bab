"""Atom and iCalendar feeds of one building's outages (building-level facts only)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from workflows.outages.models import Outage
from workflows.outages.texts import KIND_NAMES, RESOURCE_GENITIVE, local
from workflows.registry.models import Building
from workflows.single_line import one_line


def _title(outage: Outage) -> str:
    state = " — восстановлено" if outage.restored_at else ""
    return f"{KIND_NAMES[outage.kind]} отключение {RESOURCE_GENITIVE[outage.resource]}{state}"


def _summary(outage: Outage) -> str:
    parts = [f"С {local(outage.starts_at)} до {local(outage.ends_at)} (ожидаемое окончание)."]
    if outage.restored_at:
        parts.append(f"Восстановлено {local(outage.restored_at)}.")
    if outage.description:
        parts.append(f"Причина: {one_line(outage.description)}.")
    phone = outage.contact_phone or outage.organization.phone
    parts.append(f"Работы ведёт: {outage.organization.name}" + (f", тел. {phone}." if phone else "."))
    return " ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(building: Building, outages: Sequence[Outage], page_url: str, self_url: str, now: datetime) -> str:
    updated = max((o.updated_at for o in outages), default=now)
    entries = "".join(
        f"<entry><id>urn:otklik:outage:{o.id}:{o.revision}:{int(bool(o.restored_at))}</id>"
        f"<title>{escape(_title(o))}</title><updated>{_utc(o.updated_at)}</updated>"
        f"<published>{_utc(o.created_at)}</published><link href=\"{escape(page_url)}\"/>"
        f"<summary>{escape(_summary(o))}</summary></entry>" for o in outages)
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">"
            f"<title>{escape('Отключения: ' + building.address)}</title><id>urn:otklik:building:{building.id}</id>"
            f"<updated>{_utc(updated)}</updated><link rel=\"self\" href=\"{escape(self_url)}\"/>"
            f"<link href=\"{escape(page_url)}\"/><author><name>Отклик, г. Тамбов</name></author>{entries}</feed>\n")


def _ics_text(value: str) -> str:
    value = one_line(value)  # a bare CR or LF would start a new property or event
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)


def ical(building: Building, outages: Sequence[Outage], now: datetime) -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Otklik//Tambov//RU", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text('Отключения: ' + building.address)}"]
    for o in outages:
        end = o.restored_at or o.ends_at
        lines += ["BEGIN:VEVENT", f"UID:outage-{o.id}-building-{building.id}@otklik", f"DTSTAMP:{stamp}",
                  f"DTSTART:{o.starts_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTEND:{max(end, o.starts_at).astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
                  f"SEQUENCE:{o.revision + int(bool(o.restored_at))}", f"SUMMARY:{_ics_text(_title(o))}",
                  f"DESCRIPTION:{_ics_text(_summary(o))}", f"LOCATION:{_ics_text(building.address)}",
                  f"STATUS:{'CANCELLED' if o.status == 'rejected' else 'CONFIRMED'}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
