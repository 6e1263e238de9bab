"""Russian texts of outage notices and summaries: building-level facts only, never a resident's data."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workflows import citytime, resources
from workflows.outages.models import Outage
from workflows.registry.models import Building

RESOURCE_NAMES = resources.names()
RESOURCE_GENITIVE = resources.genitives()
KIND_NAMES = {"planned": "Плановое", "emergency": "Аварийное", "maintenance": "Ежегодное профилактическое"}
STATUS_NAMES = {"registered": "зарегистрировано", "pending_approval": "на согласовании в ЦГДС",
                "announced": "объявлено", "restored": "восстановлено", "rejected": "отклонено"}


def local(moment: datetime | None) -> str:
    return citytime.moment_text(moment, "уточняется")


def _who(outage: Outage) -> str:
    phone = outage.contact_phone or outage.organization.phone
    return f"Работы ведёт: {outage.organization.name}" + (f", тел. {phone}" if phone else "") + "."


def registered(outage: Outage, address: str) -> str:
    cause = f" Причина: {outage.description.strip()}." if outage.description.strip() else ""
    return (f"{KIND_NAMES[outage.kind]} отключение {RESOURCE_GENITIVE[outage.resource]}. Адрес: {address}. "
            f"С {local(outage.starts_at)} до {local(outage.ends_at)} (ожидаемое окончание).{cause} {_who(outage)}")


def reminder(outage: Outage, address: str) -> str:
    return (f"Напоминаем: {local(outage.starts_at)} начнётся плановое отключение {RESOURCE_GENITIVE[outage.resource]}. "
            f"Адрес: {address}. Ожидаемое окончание: {local(outage.ends_at)}. {_who(outage)}")


def updated(outage: Outage, address: str) -> str:
    return (f"Изменён срок: отключение {RESOURCE_GENITIVE[outage.resource]} по адресу {address}. "
            f"Ожидаемое окончание: {local(outage.ends_at)}. {_who(outage)}")


def overdue(outage: Outage, address: str) -> str:
    return (f"Работы продолжаются: подача {RESOURCE_GENITIVE[outage.resource]} по адресу {address} ещё не "
            f"восстановлена (ожидалось к {local(outage.ends_at)}). Новый срок сообщим. {_who(outage)}")


def restored(outage: Outage, address: str) -> str:
    return (f"Подача {RESOURCE_GENITIVE[outage.resource]} по адресу {address} восстановлена "
            f"({local(outage.restored_at)}). Проверьте, пожалуйста: {RESOURCE_NAMES[outage.resource]} есть?")


TEMPLATES = {"registered": registered, "reminder": reminder, "updated": updated, "overdue": overdue,
             "restored": restored}


def summarize(buildings: Sequence[Building], limit: int = 6) -> str:
    """"ул. Советская, д. 1, 3, 5; ул. Мичуринская, д. 100 и ещё 12 домов" for public lists."""
    return summarize_addresses([building.address for building in buildings], limit)


def summarize_addresses(addresses: Sequence[str], limit: int = 6) -> str:
    streets: dict[str, list[str]] = {}
    for address in addresses:
        head, _, house = address.rpartition(", д. ")
        streets.setdefault(head or address, []).append(house)
    parts: list[str] = []
    shown = 0
    for street, houses in streets.items():
        if shown >= limit:
            break
        take = houses[:max(1, limit - shown)]
        shown += len(take)
        parts.append(f"{street}, д. {', '.join(h for h in take if h)}" if any(take) else street)
    rest = len(addresses) - shown
    return "; ".join(parts) + (f" и ещё {rest} {_houses(rest)}" if rest > 0 else "")


def _houses(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "дом"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return "дома"
    return "домов"
