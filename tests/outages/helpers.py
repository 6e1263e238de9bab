"""Helpers for the outage tests: many buildings, representatives, outages, messenger updates."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from workflows.db import db
from workflows.delivery.ratelimit import Reservation, Rule
from workflows.outages import representatives as reps
from workflows.outages import service
from workflows.outages.models import Outage, Representative
from workflows.registry.models import Building, BuildingSupplier, Organization, RolloutWave
from workflows.registry.service import fold

_updates = itertools.count(1000)


class GrantAll:
    """A rate limiter that never waits: the fake messenger's limits are lifted in these tests."""

    def reserve(self, shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
        return Reservation(True, 0.0)

    def pause(self, key: str, seconds: float) -> None:
        return None


def wave(name: str, enabled: bool) -> RolloutWave:
    row = RolloutWave(name=name, enabled=enabled)
    db.session.add(row)
    db.session.flush()
    return row


def street(name: str, count: int, manager: Organization, suppliers: dict[str, Organization], rollout: RolloutWave,
           district: str = "Октябрьский", first: int = 1, **attributes: Any) -> list[Building]:
    """`count` buildings on one street (odd house numbers), supplied as given; commits."""
    built = []
    for number in range(first, first + 2 * count, 2):
        address = f"ул. {name}, д. {number}"
        building = Building(street_type="ул", street=name, house=str(number), district=district, address=address,
                            search_text=fold(address), management_org_id=manager.id, wave_id=rollout.id, **attributes)
        for resource, org in suppliers.items():
            building.suppliers.append(BuildingSupplier(resource=resource, organization_id=org.id))
        db.session.add(building)
        built.append(building)
    db.session.commit()
    return built


def enrolled(building: Building, chat: int, channel: str = "telegram") -> Representative:
    """A representative with consent, not yet committed."""
    return reps.enrol(building.id, {"name": "", "role": "chair", "channel": channel, "address": str(chat)}, "api")


def representative(building: Building, chat: int, channel: str = "telegram") -> Representative:
    rep = enrolled(building, chat, channel)
    db.session.commit()
    return rep


def iso(moment: datetime) -> str:
    return moment.isoformat()


def register(org: Organization, buildings: list[Building], start: datetime, hours: float, kind: str = "emergency",
             resource: str = "cold_water", **extra: Any) -> Outage:
    payload = {"kind": kind, "resource": resource, "organization_id": org.id, "starts_at": iso(start),
               "ends_at": iso(start + timedelta(hours=hours)), "description": "порыв на магистрали",
               "building_ids": [b.id for b in buildings], **extra}
    return service.register_outage(payload, None)


def callback(chat: int, data: str) -> dict[str, Any]:
    number = next(_updates)
    return {"update_id": number, "callback_query": {
        "id": f"cb{number}", "from": {"id": chat, "is_bot": False, "first_name": "Жилец"}, "chat_instance": "1",
        "data": data, "message": {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"},
                                  "text": "notice"}}}


def message(chat: int, text: str) -> dict[str, Any]:
    number = next(_updates)
    return {"update_id": number, "message": {"message_id": number, "date": 0, "chat": {"id": chat, "type": "private"},
                                             "from": {"id": chat, "is_bot": False, "first_name": "Жилец"},
                                             "text": text}}
