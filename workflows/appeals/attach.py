"""ЦГДС attaches a registry building to an appeal registered by an address the registry did not have."""
from __future__ import annotations

from workflows.accounts import permissions
from workflows.accounts.models import User
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal
from workflows.appeals.queries import get_appeal
from workflows.db import db
from workflows.errors import Conflict, Forbidden, ValidationFailed
from workflows.registry.address_index import registry_index
from workflows.registry.models import Building


def attach_building(appeal_id: int, address: str, user: User) -> Appeal:
    """Resolve the address to one building and attach it; ambiguous or unknown addresses are refused."""
    if not permissions.may(user.role, "appeals.attach_building"):
        raise Forbidden("привязать дом может диспетчер или координатор ЦГДС")
    appeal = get_appeal(appeal_id, user)
    if appeal.building_id is not None:
        raise Conflict("у обращения уже есть дом")
    resolution = registry_index().resolve((address or "").strip()[:300])
    building = db.session.get(Building, resolution.building_id) if resolution.building_id else None
    if building is None:
        choices = ", ".join(c.address for c in resolution.candidates[:5])
        raise ValidationFailed("дом не найден однозначно" + (f"; возможно: {choices}" if choices else ""),
                               {"address": "уточните адрес дома"})
    typed = appeal.address_text
    appeal.building_id, appeal.building, appeal.address_text = building.id, building, building.address
    add_event(appeal.id, "building_attached", None, {"address": building.address, "typed_address": typed}, user.id)
    db.session.commit()
    return appeal
